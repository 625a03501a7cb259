import { describe, expect, it } from 'vitest';
import { localDayAndHour } from './rollups.js';

describe("an answer's office day and hour", () => {
  it('turns at the office midnight and when the clocks change, however closely the moments follow', () => {
    const berlin = localDayAndHour('Europe/Berlin');
    // 2026-03-29 01:00 UTC: Berlin's clocks go from 02:00 to 03:00.
    const asked = [Date.UTC(2026, 2, 29, 0, 59, 0), Date.UTC(2026, 2, 29, 0, 59, 59, 999), Date.UTC(2026, 2, 29, 1, 0, 0)];
    expect(asked.map(berlin)).toEqual([
      { day: '2026-03-29', hour: 1 },
      { day: '2026-03-29', hour: 1 },
      { day: '2026-03-29', hour: 3 },
    ]);
    const moscow = localDayAndHour('Europe/Moscow');
    // 21:00 UTC is Moscow's midnight (UTC+3).
    expect([Date.UTC(2026, 11, 7, 20, 59, 59, 999), Date.UTC(2026, 11, 7, 21, 0, 0)].map(moscow)).toEqual([
      { day: '2026-12-07', hour: 23 },
      { day: '2026-12-08', hour: 0 },
    ]);
  });

  it('turns at the half hour in a UTC+5:30 zone, asked in any order', () => {
    const kolkata = localDayAndHour('Asia/Kolkata');
    expect(
      [
        Date.UTC(2026, 0, 1, 18, 29, 59),
        Date.UTC(2026, 0, 1, 18, 30, 0),
        Date.UTC(2025, 5, 1, 12, 0, 0),
        Date.UTC(2026, 0, 1, 18, 29, 30),
      ].map(kolkata),
    ).toEqual([
      { day: '2026-01-01', hour: 23 },
      { day: '2026-01-02', hour: 0 },
      { day: '2025-06-01', hour: 17 },
      { day: '2026-01-01', hour: 23 },
    ]);
  });
});
