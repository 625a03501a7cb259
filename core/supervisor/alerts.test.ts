import { describe, expect, it } from 'vitest';
import { alertsOf } from './alerts.js';

const config = {
  timeZone: 'Europe/Moscow',
  openingHours: { days: [1, 2, 3, 4, 5, 6], from: '08:00', to: '20:00' },
  alerts: { silentOpeningHours: 2, negativeStreak: 3 },
};
const at = (iso: string) => Date.parse(iso);

describe('alerts', () => {
  it('silent: two opening hours without a rating; the night before does not count', () => {
    // Thursday 26 Nov 2026: the last rating at 19:30 Moscow the day before, now 09:00 → 30 + 60 open minutes.
    const lastRatingMs = at('2026-11-25T16:30:00Z');
    expect(alertsOf({ config, nowMs: at('2026-11-26T06:00:00Z'), lastRatingMs, lastScores: [] })).toEqual([]);
    expect(alertsOf({ config, nowMs: at('2026-11-26T06:30:00Z'), lastRatingMs, lastScores: [] })).toEqual([
      { kind: 'silent', openHours: 2, sinceMs: lastRatingMs },
    ]);
  });

  it('negative streak: the last N scores all 1–2; one 3 among them breaks it; fewer than N is no streak', () => {
    const quiet = { config, nowMs: at('2026-11-26T06:00:00Z'), lastRatingMs: at('2026-11-26T05:59:00Z') };
    expect(alertsOf({ ...quiet, lastScores: [1, 2, 1, 5] })).toEqual([{ kind: 'negative_streak', count: 3 }]);
    expect(alertsOf({ ...quiet, lastScores: [1, 3, 1, 1] })).toEqual([]);
    expect(alertsOf({ ...quiet, lastScores: [1, 1] })).toEqual([]);
  });
});
