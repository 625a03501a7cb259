import type Database from 'better-sqlite3';
import type { AnswerRow, StoredAnswerRow } from './answers.js';
import { isMisuse, isRepeat } from './answers.js';
import { officeDayAndHour } from '../../shared/office-time.js';

/** Splits a timestamp into the office's local day and hour, for the rollups. */
export function localDayAndHour(timeZone: string): (ms: number) => { day: string; hour: number } {
  return (ms) => officeDayAndHour(ms, timeZone);
}

/** Values a rollup counts: the score, each chosen reason of a follow-up, or that a comment was given (never its text). */
function rollupValues(row: AnswerRow): string[] {
  if (row.question === 'comment') return ['given'];
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
  const operators = operatorRollups(db);
  const count = (row: AnswerRow): void => {
    const { day, hour } = dayAndHour(row.created_at_ms);
    if (row.flags !== '[]') {
      if (isMisuse(row)) return void bump.run(row.window_id, day, hour, MISUSE, row.question);
      if (isRepeat(row)) return void bump.run(row.window_id, day, hour, REPEAT, row.question);
    }
    for (const value of rollupValues(row)) bump.run(row.window_id, day, hour, row.question, value);
    operators.count(row, day);
  };
  return { count };
}

/** The operator rollups' service of a ticket the queue named no service for. */
export const NO_SERVICE = '';

/**
 * Counts per operator and service, office day and month, question and score: what the operators'
 * tab reads (an operator's own figures are the sum over their services). Only answers the queue
 * bound to an operator, and only scores (the reasons are the window's); misuse and repeats never
 * reach here (the caller returns before). Two rows of a small table per answer, in its transaction.
 */
function operatorRollups(db: Database.Database) {
  const bump = db.prepare(`
    INSERT INTO operator_rollups (unit, question, bucket, operator_id, service_id, value, count)
    VALUES ('day', @question, @day, @operator, @service, @value, 1), ('month', @question, @month, @operator, @service, @value, 1)
    ON CONFLICT (unit, question, bucket, operator_id, service_id, value) DO UPDATE SET count = count + 1`);
  return {
    count(row: AnswerRow, day: string): void {
      if (row.operator_id === null || row.value === null) return;
      const service = row.service_id ?? NO_SERVICE;
      bump.run({
        day,
        month: day.slice(0, 7),
        service,
        operator: row.operator_id,
        question: row.question,
        value: String(row.value),
      });
    },
  };
}

/**
 * Migration 10. Answers bound to an operator before the operator rollups existed are counted once,
 * under the office's days (so it needs the office's zone when there are any).
 */
export function countEarlierOperators(db: Database.Database, context: { timeZone?: string }): void {
  // In pages of seq (a connection cannot write while it iterates): a million answers never sit in memory.
  const page = db.prepare(`SELECT * FROM answers WHERE seq > ? AND operator_id IS NOT NULL AND value IS NOT NULL
                             AND flags = '[]' ORDER BY seq LIMIT 5000`);
  const { count } = operatorRollups(db);
  let dayOf: ((ms: number) => { day: string }) | null = null;
  for (let rows = page.all(0) as StoredAnswerRow[]; rows.length > 0; rows = page.all(rows.at(-1)!.seq) as StoredAnswerRow[]) {
    if (!context.timeZone)
      throw new Error("migration 10 counts earlier operators' answers by office day: it needs the office's time zone");
    const day = (dayOf ??= localDayAndHour(context.timeZone));
    for (const row of rows) count(row, day(row.created_at_ms).day);
  }
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
