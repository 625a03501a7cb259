/**
 * The office's clock (its IANA zone), for what is counted in office days and hours: where a day
 * starts (an export of «30 November» is that office day, whatever zone the console's OS is in),
 * and how many opening hours lie between two moments (the «silent console» alert). Pure.
 */

export interface OpeningHours {
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  days: readonly number[];
  /** "08:00" and "20:00", office time. */
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const formats = new Map<string, Intl.DateTimeFormat>();
/**
 * Each zone's offset as last asked, for the UTC minute it was asked in: every tap asks (its rollups'
 * day and hour, its ticket's office day), and formatToParts is most of that. Within one minute the
 * offset cannot change: since 1972 every zone's offset and every change of it is a whole number of
 * minutes (tzdata; Monrovia's −0:44:30 was the last that was not). A clock set before then asks every time.
 */
const lastOffsets = new Map<string, { minute: number; offsetMs: number }>();
const WHOLE_MINUTE_OFFSETS_SINCE_MS = Date.UTC(1972, 6, 1);

/** How far the zone's wall clock is ahead of UTC at `ms` (Moscow: +3 h). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const minute = Math.floor(ms / 60_000);
  const last = lastOffsets.get(timeZone);
  if (last?.minute === minute) return last.offsetMs;
  const offsetMs = askedOffsetMs(ms, timeZone);
  if (ms >= WHOLE_MINUTE_OFFSETS_SINCE_MS) lastOffsets.set(timeZone, { minute, offsetMs });
  return offsetMs;
}

function askedOffsetMs(ms: number, timeZone: string): number {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(ms)) parts[part.type] = Number(part.value);
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(ms / 1000) * 1000;
}

/** The instant the office clock shows `time` ("HH:MM", default midnight) on `day` ("2026-11-26"). */
export function officeTimeMs(day: string, timeZone: string, time = '00:00'): number {
  const wall = Date.parse(`${day}T${time}:00Z`);
  // Two steps: the offset at the guess may differ from the offset at the answer across a clock change.
  const guess = wall - zoneOffsetMs(wall, timeZone);
  return wall - zoneOffsetMs(guess, timeZone);
}

/** "2026-11-26" moved by `days` office days (calendar days: no zone needed). */
export const shiftDay = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** The office day after `day`. */
export const nextDay = (day: string): string => shiftDay(day, 1);

/** The office days of a period as instants: [start of `from`, start of the day after `to`). */
export const officeDaysMs = (from: string, to: string, timeZone: string): { fromMs: number; toMs: number } => ({
  fromMs: officeTimeMs(from, timeZone),
  toMs: officeTimeMs(nextDay(to), timeZone),
});

/** The office day ("2026-12-03") an instant falls on, in the office's zone. */
/** The office day ("2026-11-26") and hour (0–23) the office clock shows at `ms`. */
export function officeDayAndHour(ms: number, timeZone: string): { day: string; hour: number } {
  const wall = new Date(ms + zoneOffsetMs(ms, timeZone));
  return { day: wall.toISOString().slice(0, 10), hour: wall.getUTCHours() };
}
export const officeDayOf = (ms: number, timeZone: string): string => officeDayAndHour(ms, timeZone).day;
const isoWeekday = (day: string): number => new Date(`${day}T00:00:00Z`).getUTCDay() || 7;

/** Looking further back than this is pointless: the alert is long raised by then. */
const LOOK_BACK_DAYS = 62;

/** Hours the office was open between `fromMs` and `toMs` (fractions included). */
export function openHoursBetween(fromMs: number, toMs: number, hours: OpeningHours, timeZone: string): number {
  if (toMs <= fromMs) return 0;
  const start = Math.max(fromMs, toMs - LOOK_BACK_DAYS * DAY_MS);
  let open = 0;
  for (let day = officeDayOf(start, timeZone); day <= officeDayOf(toMs, timeZone); day = nextDay(day)) {
    if (!hours.days.includes(isoWeekday(day))) continue;
    const opens = Math.max(start, officeTimeMs(day, timeZone, hours.from));
    const closes = Math.min(toMs, officeTimeMs(day, timeZone, hours.to));
    if (closes > opens) open += closes - opens;
  }
  return open / 3_600_000;
}

/** The hours of the day the office is open at some point: 08:00–20:00 → 8…19; 08:30–17:15 → 8…17. */
export function hoursOfDayOpen(hours: Pick<OpeningHours, 'from' | 'to'>): number[] {
  const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));
  const first = Math.floor(minutes(hours.from) / 60);
  const last = Math.ceil(minutes(hours.to) / 60) - 1;
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);
}
