import type { PultConfig } from '../../shared/config.js';
import { openHoursBetween } from '../../shared/office-time.js';
import type { Alert } from '../../shared/supervisor.js';

/** A CSI score at or below this is «low» for the negative streak. */
export const LOW_CSI = 2;
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
