import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';

describe('durations on the command line', () => {
  it('reads 90s, 10m, 24h, 7d and refuses anything else', () => {
    expect([parseDuration('90s'), parseDuration('10m'), parseDuration('24h'), parseDuration('7d')]).toEqual([
      90_000, 600_000, 86_400_000, 604_800_000,
    ]);
    for (const bad of ['', '0h', '24', '1.5h', '24 h', '-1d', '1w', '9999999d']) expect(parseDuration(bad), bad).toBeNull();
  });
});
