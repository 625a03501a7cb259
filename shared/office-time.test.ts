import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hoursOfDayOpen, nextDay, officeTimeMs, openHoursBetween, zoneOffsetMs } from './office-time.js';

const WEEKDAYS_8_TO_20 = { days: [1, 2, 3, 4, 5], from: '08:00', to: '20:00' };
const utc = (iso: string) => Date.parse(iso);

describe('office time', () => {
  it('the office clock shows the asked time at the instant found, in any zone, on any day', () => {
    const zones = ['Europe/Moscow', 'Europe/Berlin', 'Asia/Yekaterinburg', 'America/New_York', 'Asia/Kolkata'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 3 * 365 }),
        fc.integer({ min: 4, max: 22 }),
        (zone, offsetDays, hour) => {
          const day = new Date(Date.UTC(2025, 0, 1) + offsetDays * 86_400_000).toISOString().slice(0, 10);
          const time = `${String(hour).padStart(2, '0')}:30`;
          const ms = officeTimeMs(day, zone, time);
          const shown = new Date(ms).toLocaleString('sv-SE', { timeZone: zone }).slice(0, 16);
          expect(shown).toBe(`${day} ${time}`);
        },
      ),
    );
  });

  it("a zone's offset is the one its clock shows at that instant, however close the instants asked one after another", () => {
    const zones = ['Europe/Moscow', 'Europe/Berlin', 'Asia/Kolkata', 'Asia/Kathmandu', 'Africa/Monrovia'];
    const shown = (ms: number, timeZone: string) => {
      const wall = new Date(ms).toLocaleString('sv-SE', { timeZone }).replace(' ', 'T');
      return Date.parse(`${wall}Z`) - Math.floor(ms / 1000) * 1000;
    };
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(1965, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.array(fc.integer({ min: -90_000, max: 90_000 }), { minLength: 1, maxLength: 6 }),
        (zone, start, steps) => {
          for (const ms of steps.map((step) => start + step)) expect(zoneOffsetMs(ms, zone)).toBe(shown(ms, zone));
        },
      ),
    );
    // Monrovia left UTC−0:44:30 for UTC at 00:44:30 UTC on 7 January 1972: inside a minute.
    const change = Date.UTC(1972, 0, 7, 0, 44, 30);
    expect([change - 1000, change].map((ms) => zoneOffsetMs(ms, 'Africa/Monrovia'))).toEqual([-2_670_000, 0]);
  });

  it('counts opening hours only: weekends and nights are not silence', () => {
    // Friday 27 Nov 2026 18:00 Moscow → Monday 30 Nov 10:00 Moscow: 2 h on Friday + 2 h on Monday.
    expect(openHoursBetween(utc('2026-11-27T15:00:00Z'), utc('2026-11-30T07:00:00Z'), WEEKDAYS_8_TO_20, 'Europe/Moscow')).toBe(4);
    expect(openHoursBetween(utc('2026-11-28T08:00:00Z'), utc('2026-11-29T20:00:00Z'), WEEKDAYS_8_TO_20, 'Europe/Moscow')).toBe(0);
    expect(openHoursBetween(utc('2026-11-30T07:00:00Z'), utc('2026-11-30T06:00:00Z'), WEEKDAYS_8_TO_20, 'Europe/Moscow')).toBe(0);
  });

  it('a day with a clock change still opens at 08:00 office time', () => {
    // Sunday 29 March 2026 Berlin goes to summer time at 02:00; Monday opens at 08:00 CEST = 06:00 UTC.
    const monday = officeTimeMs('2026-03-30', 'Europe/Berlin', '08:00');
    expect(monday).toBe(utc('2026-03-30T06:00:00Z'));
    // Friday 19:00 CET → Monday 09:00 CEST: 1 h on Friday, 1 h on Monday.
    expect(openHoursBetween(utc('2026-03-27T18:00:00Z'), monday + 3_600_000, WEEKDAYS_8_TO_20, 'Europe/Berlin')).toBe(2);
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
  });
});

describe('the hours of the day the office is open (the by-hour chart lists them all)', () => {
  it('a part-hour counts as an open hour; the closing hour on the dot does not', () => {
    expect(hoursOfDayOpen({ from: '08:00', to: '20:00' })).toEqual([8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(hoursOfDayOpen({ from: '08:30', to: '10:15' })).toEqual([8, 9, 10]);
    expect(hoursOfDayOpen({ from: '00:00', to: '23:59' })).toHaveLength(24);
  });
});
