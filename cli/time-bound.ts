import { nextDay, officeTimeMs } from '../shared/office-time.js';

/**
 * `--from` / `--to` of `pult export`: "2026-11-25" is that office day, in the office's zone as
 * `pult stats` and the supervisor screen count it (with `endOfDay`, its end, so `--to 2026-11-25`
 * includes the day); any other text must be an ISO 8601 instant. Dates that do
 * not exist (2026-02-30) are refused rather than rolled over into the next month.
 */
export function parseTimeBound(text: string, endOfDay: boolean, timeZone: string): number | null {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (day) {
    const [year, month, date] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const probe = new Date(Date.UTC(year, month - 1, date));
    if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== date) return null;
    return officeTimeMs(endOfDay ? nextDay(text) : text, timeZone);
  }
  const instant = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/.exec(text);
  if (!instant) return null;
  const [year, month, date, hour, minute, second] = instant.slice(1, 7).map((part) => Number(part ?? 0));
  const probe = new Date(Date.UTC(year!, month! - 1, date!, hour!, minute!, second!));
  const exists =
    probe.getUTCFullYear() === year &&
    probe.getUTCMonth() === month! - 1 &&
    probe.getUTCDate() === date &&
    probe.getUTCHours() === hour &&
    probe.getUTCMinutes() === minute;
  const ms = new Date(text).getTime();
  return exists && !Number.isNaN(ms) ? ms : null;
}
