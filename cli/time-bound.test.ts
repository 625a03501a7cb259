import { describe, expect, it } from 'vitest';
import { parseTimeBound } from './time-bound.js';

describe('export time bounds', () => {
  it('a day means local midnight, and with endOfDay the next midnight', () => {
    expect(parseTimeBound('2026-11-25', false)).toBe(new Date(2026, 10, 25).getTime());
    expect(parseTimeBound('2026-11-25', true)).toBe(new Date(2026, 10, 26).getTime());
    expect(parseTimeBound('2026-12-31', true)).toBe(new Date(2027, 0, 1).getTime());
  });

  it('an ISO 8601 instant is taken as it is', () => {
    expect(parseTimeBound('2026-11-25T10:30:00Z', false)).toBe(Date.UTC(2026, 10, 25, 10, 30));
    expect(parseTimeBound('2026-11-25T10:30+03:00', true)).toBe(Date.UTC(2026, 10, 25, 7, 30));
  });

  it('refuses dates that do not exist instead of rolling them over', () => {
    for (const text of [
      '2026-02-30',
      '2026-13-01',
      '2026-00-10',
      '2025-02-29',
      '2026-04-31T10:00Z',
      '2026-11-25T24:30Z',
      'yesterday',
      '25.11.2026',
      '',
    ])
      expect(parseTimeBound(text, false), text).toBeNull();
    expect(parseTimeBound('2028-02-29', false)).not.toBeNull();
  });
});
