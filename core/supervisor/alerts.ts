import type Database from 'better-sqlite3';
import type { PultConfig } from '../../shared/config.js';
import { openHoursBetween } from '../../shared/office-time.js';
import type { Alert } from '../../shared/supervisor.js';
import { isMisuse } from '../storage/answers.js';

/** A CSI score at or below this is «low» for the negative streak. */
export const LOW_CSI = 2;
/** The streak reads back at most this many answers (other questions, misuse) to find its CSI ones. */
const STREAK_SCAN = 500;

const streakStatements = new WeakMap<Database.Database, Database.Statement>();

/** This window's last `n` counted CSI scores, newest first (fewer when there are fewer). */
export function lastCsiScores(db: Database.Database, windowId: string, n: number): number[] {
  let newest = streakStatements.get(db);
  if (!newest) {
    newest = db.prepare(
      `SELECT value, flags FROM answers WHERE question = 'csi' AND window_id = ? ORDER BY seq DESC LIMIT ${STREAK_SCAN}`,
    );
    streakStatements.set(db, newest);
  }
  const scores: number[] = [];
  for (const row of newest.iterate(windowId) as Iterable<{ value: number; flags: string }>) {
    if (isMisuse(row)) continue;
    scores.push(row.value);
    if (scores.length === n) break;
  }
  return scores;
}

export interface AlertInputs {
  config: Pick<PultConfig, 'alerts' | 'openingHours' | 'timeZone'>;
  nowMs: number;
  /** The last answer stored, or the console's start when none came since (a reboot proves no rating). */
  lastRatingMs: number;
  /** The newest counted CSI scores, newest first. */
  lastScores: number[];
}

/**
 * The two alerts offices ask rating terminals for: no rating for N opening hours (a broken or
 * ignored console), and the last N ratings all low (something is wrong at the window now).
 */
export function alertsOf({ config, nowMs, lastRatingMs, lastScores }: AlertInputs): Alert[] {
  const alerts: Alert[] = [];
  const openHours = openHoursBetween(lastRatingMs, nowMs, config.openingHours, config.timeZone);
  if (openHours >= config.alerts.silentOpeningHours) alerts.push({ kind: 'silent', openHours, sinceMs: lastRatingMs });
  const n = config.alerts.negativeStreak;
  if (lastScores.length >= n && lastScores.slice(0, n).every((score) => score <= LOW_CSI))
    alerts.push({ kind: 'negative_streak', count: n });
  return alerts;
}
