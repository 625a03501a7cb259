import type Database from 'better-sqlite3';
import type { AnswerRow } from './answers.js';
import { isMisuse, isRepeat } from './answers.js';

/** Splits a timestamp into the office's local day and hour, for the rollups. */
export function localDayAndHour(timeZone: string): (ms: number) => { day: string; hour: number } {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  });
  return (ms) => {
    const parts: Record<string, string> = {};
    for (const part of format.formatToParts(ms)) parts[part.type] = part.value;
    return { day: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
  };
}

/** Values a rollup counts: the score, or each chosen reason of a follow-up. */
function rollupValues(row: AnswerRow): string[] {
  return row.reasons !== null ? (JSON.parse(row.reasons) as string[]) : [String(row.value)];
}

/** The rollups' question under which misuse presses are counted (value: the question pressed on). */
export const MISUSE = 'misuse';
/** …and repeats: a second response for a ticket already rated (value: the question). */
export const REPEAT = 'repeat';

/**
 * Counts per window, office day and hour, question and value: what statistics read, so that
 * they never scan the answers. Bumped in the same transaction as the answer. Misuse is never
 * counted as an answer: it has its own count (question `misuse`), so the supervisor sees how much.
 */
export function rollupsTable(db: Database.Database, timeZone: string) {
  const bump = db.prepare(`
    INSERT INTO rollups (window_id, day, hour, question, value, count) VALUES (?, ?, ?, ?, ?, 1)
    ON CONFLICT (window_id, day, hour, question, value) DO UPDATE SET count = count + 1`);
  const dayAndHour = localDayAndHour(timeZone);
  const count = (row: AnswerRow): void => {
    const { day, hour } = dayAndHour(row.created_at_ms);
    if (row.flags !== '[]') {
      if (isMisuse(row)) return void bump.run(row.window_id, day, hour, MISUSE, row.question);
      if (isRepeat(row)) return void bump.run(row.window_id, day, hour, REPEAT, row.question);
    }
    for (const value of rollupValues(row)) bump.run(row.window_id, day, hour, row.question, value);
  };
  return { count };
}

/**
 * Migration 8. Databases from before misuse had its own count: their misuse is counted once (a
 * scan of the answers), under the office's days — so it needs the office's zone. A database whose
 * earlier start did this already (it remembered so in meta) is left as it is.
 */
export function countEarlierMisuse(db: Database.Database, context: { timeZone?: string }): void {
  const done = db.prepare("SELECT value FROM meta WHERE key = 'rollups_count_misuse'").pluck();
  if (done.get() !== undefined) return;
  const misuse = (db.prepare("SELECT * FROM answers WHERE flags <> '[]'").all() as AnswerRow[]).filter(isMisuse);
  if (misuse.length > 0) {
    if (!context.timeZone) throw new Error("migration 8 counts earlier misuse by office day: it needs the office's time zone");
    const { count } = rollupsTable(db, context.timeZone);
    misuse.forEach(count);
  }
  db.prepare("INSERT INTO meta (key, value) VALUES ('rollups_count_misuse', '1')").run();
}
