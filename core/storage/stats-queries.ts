import type Database from 'better-sqlite3';
import { isMisuse, isRepeat } from './answers.js';
import type { ReadableDB } from './readable.js';

/**
 * The SQL of the supervisor's figures and alerts: each a GROUP BY over at most thousands of summed
 * rows (rollups_sum, migration 6) or a bounded range of seq — never a walk of the answers table;
 * query-plan.test.ts proves it on SQLite's own plans. core/stats.ts folds what these return.
 */

/** Each hour as an equality: the key puts the hour before the bucket, so each hour is one range. */
const HOURS = Array.from({ length: 24 }, (_, hour) => hour).join(', ');

/** Every window together, in the summed rollups (never a window id: ids allow no '*'). */
export const EVERY_WINDOW = '*';

/** One row of a figures query: counts of `value` under `key` (a question, a day, an hour). */
export interface Counted {
  key: string;
  value: string;
  count: number;
}

function prepareStatements(db: ReadableDB) {
  const range = (length: 10 | 7) => `unit = '${length === 10 ? 'day' : 'month'}' AND bucket >= @from AND bucket <= @to`;
  const totals = (length: 10 | 7) =>
    db.prepare(`SELECT question AS key, value, sum(count) AS count FROM rollups_sum
                WHERE scope = @scope AND hour = -1 AND ${range(length)} GROUP BY question, value`);
  const csiOver = (length: 10 | 7) =>
    db.prepare(`SELECT bucket AS key, value, sum(count) AS count FROM rollups_sum
                WHERE scope = @scope AND hour = -1 AND question = 'csi' AND ${range(length)} GROUP BY bucket, value`);
  const csiByHour = (length: 10 | 7) =>
    db.prepare(`SELECT hour AS key, value, sum(count) AS count FROM rollups_sum
                WHERE scope = @scope AND hour IN (${HOURS}) AND question = 'csi' AND ${range(length)} GROUP BY hour, value`);
  // Each operator's scores of one criterion at each service (their own figures are the sum): key [operator, service].
  const operators = (length: 10 | 7) =>
    db.prepare(`SELECT json_array(operator_id, service_id) AS key, value, sum(count) AS count FROM operator_rollups
                WHERE unit = '${length === 10 ? 'day' : 'month'}' AND question = @scope AND bucket >= @from AND bucket <= @to
                GROUP BY operator_id, service_id, value`);
  // The windows this console ever counted: one index step each (a skip-scan over the hourly rollups).
  const nextWindow = db.prepare('SELECT window_id FROM rollups WHERE window_id > ? ORDER BY window_id LIMIT 1').pluck();
  return {
    totals: { 10: totals(10), 7: totals(7) },
    csiOver: { 10: csiOver(10), 7: csiOver(7) },
    csiByHour: { 10: csiByHour(10), 7: csiByHour(7) },
    operators: { 10: operators(10), 7: operators(7) },
    /** Names the queue gave operators and services (core/queue-desk.ts keeps them in meta). */
    names: db.prepare("SELECT substr(key, 6) AS key, value FROM meta WHERE key >= 'name:' AND key < 'name;'"),
    windows(): string[] {
      const found: string[] = [];
      for (let id = nextWindow.get('') as string | undefined; id !== undefined; id = nextWindow.get(id) as string | undefined)
        found.push(id);
      return found;
    },
    // A window's own hours of a day are in the hourly rollups (the summed ones keep them for every window only).
    windowHours: db.prepare(`SELECT hour AS key, value, sum(count) AS count FROM rollups
                             WHERE window_id = @scope AND question = 'csi' AND day >= @from AND day <= @to GROUP BY hour, value`),
  };
}

const prepared = new WeakMap<ReadableDB, ReturnType<typeof prepareStatements>>();
/** The statements of one connection, prepared once (a supervisor screen asks again and again). */
export function statsStatements(db: ReadableDB): ReturnType<typeof prepareStatements> {
  let found = prepared.get(db);
  if (!found) prepared.set(db, (found = prepareStatements(db)));
  return found;
}

/**
 * The streak looks at the console's last this many answers (of every question and window): a
 * range of seq, one B-tree search, so it costs the same at a million answers and adds nothing to a
 * tap (an index would: one more page in every commit).
 */
const STREAK_SCAN = 5_000;
const streakStatements = new WeakMap<ReadableDB, Database.Statement>();

/** This window's last `n` counted CSI scores, newest first (fewer when there are fewer). */
export function lastCsiScores(db: ReadableDB, windowId: string, n: number): number[] {
  let newest = streakStatements.get(db);
  if (!newest) {
    newest = db.prepare(
      `SELECT value, flags FROM answers WHERE seq > (SELECT max(seq) FROM answers) - ${STREAK_SCAN}
         AND question = 'csi' AND window_id = ? ORDER BY seq DESC`,
    );
    streakStatements.set(db, newest);
  }
  const scores: number[] = [];
  for (const row of newest.iterate(windowId) as Iterable<{ value: number; flags: string }>) {
    if (isMisuse(row) || isRepeat(row)) continue;
    scores.push(row.value);
    if (scores.length === n) break;
  }
  return scores;
}
