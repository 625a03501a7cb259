import type Database from 'better-sqlite3';
import type { AnswerRow } from './answers.js';
import { isMisuse } from './answers.js';

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

/**
 * Counts per window, office day and hour, question and value: what statistics read, so that
 * they never scan the answers. Bumped in the same transaction as the answer.
 */
export function rollupsTable(db: Database.Database, timeZone: string) {
  const bump = db.prepare(`
    INSERT INTO rollups (window_id, day, hour, question, value, count) VALUES (?, ?, ?, ?, ?, 1)
    ON CONFLICT (window_id, day, hour, question, value) DO UPDATE SET count = count + 1`);
  const dayAndHour = localDayAndHour(timeZone);
  return {
    /** Counts the answer, unless it is misuse: kept as evidence, never counted. */
    count(row: AnswerRow): void {
      if (isMisuse(row)) return;
      const { day, hour } = dayAndHour(row.created_at_ms);
      for (const value of rollupValues(row)) bump.run(row.window_id, day, hour, row.question, value);
    },
  };
}
