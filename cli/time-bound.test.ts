import { describe, expect, it } from 'vitest';
import { parseTimeBound } from './time-bound.js';

describe('export time bounds', () => {
  it("a day means the office's midnight, and with endOfDay the next one, across clock changes", () => {
    expect(parseTimeBound('2026-11-25', false, 'Europe/Moscow')).toBe(Date.UTC(2026, 10, 24, 21));
    expect(parseTimeBound('2026-11-25', true, 'Europe/Moscow')).toBe(Date.UTC(2026, 10, 25, 21));
    expect(parseTimeBound('2026-12-31', true, 'Asia/Yekaterinburg')).toBe(Date.UTC(2026, 11, 31, 19));
    // Berlin moves to summer time on 29 March 2026: that day is 23 hours long.
    const start = parseTimeBound('2026-03-29', false, 'Europe/Berlin')!;
    expect(start).toBe(Date.UTC(2026, 2, 28, 23));
    expect(parseTimeBound('2026-03-29', true, 'Europe/Berlin')! - start).toBe(23 * 3_600_000);
    expect(parseTimeBound('2026-10-25', true, 'Europe/Berlin')! - parseTimeBound('2026-10-25', false, 'Europe/Berlin')!).toBe(
      25 * 3_600_000,
    );
  });

  it('an ISO 8601 instant is taken as it is', () => {
    expect(parseTimeBound('2026-11-25T10:30:00Z', false, 'Europe/Moscow')).toBe(Date.UTC(2026, 10, 25, 10, 30));
    expect(parseTimeBound('2026-11-25T10:30+03:00', true, 'Europe/Moscow')).toBe(Date.UTC(2026, 10, 25, 7, 30));
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
      expect(parseTimeBound(text, false, 'Europe/Moscow'), text).toBeNull();
    expect(parseTimeBound('2028-02-29', false, 'Europe/Moscow')).not.toBeNull();
  });
});
