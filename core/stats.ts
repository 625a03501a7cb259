import type Database from 'better-sqlite3';
import { REASONS, type Reason } from '../shared/answer.js';
import { csiFigures, npsFigures, rankReasons, type Counts, type CsiFigures, type NpsFigures } from '../shared/metrics.js';
import { openDatabaseReadOnly } from './storage/database.js';
import { localDayAndHour, MISUSE } from './storage/rollups.js';
import type { SqliteSetup } from './storage/sqlite.js';

/** A period of office-local days, both ends included, for one window or all of them. */
export interface StatsQuery {
  from: string;
  to: string;
  windowId?: string;
}

export interface PeriodStats {
  from: string;
  to: string;
  windowId: string | null;
  csi: CsiFigures | null;
  nps: NpsFigures | null;
  /** Low-score reasons, most chosen first. */
  reasons: { reason: Reason; count: number }[];
  /** Presses kept as misuse: counted here only, excluded from every other figure. */
  misuse: number;
  /** Hours of the day (office time) that have answers. */
  byHour: { hour: number; csi: CsiFigures | null }[];
  /** Days that have answers, in order. */
  byDay: { day: string; csi: CsiFigures | null }[];
  /** Each window that has answers in the period. */
  byWindow: { windowId: string; csi: CsiFigures | null; nps: NpsFigures | null }[];
}

interface RollupRow {
  window_id: string;
  day: string;
  hour: number;
  question: string;
  value: string;
  count: number;
}

/** Adds `count` to the counts kept under `key` (creating them). */
function add<K>(into: Map<K, Record<string, number>>, key: K, value: string, count: number): void {
  const counts = into.get(key) ?? {};
  counts[value] = (counts[value] ?? 0) + count;
  into.set(key, counts);
}

const numeric = (counts: Record<string, number> | undefined): Counts => {
  const out: Record<number, number> = {};
  for (const [value, count] of Object.entries(counts ?? {})) out[Number(value)] = count;
  return out;
};

/**
 * The statistics of a period, from the rollups only (never the answers), through the one
 * metrics module (shared/metrics.ts): the figures `pult stats` prints and the supervisor sees.
 */
export function periodStats(db: Database.Database, query: StatsQuery): PeriodStats {
  const rows = db
    .prepare(
      `SELECT window_id, day, hour, question, value, count FROM rollups
       WHERE day >= @from AND day <= @to AND (@window IS NULL OR window_id = @window)`,
    )
    .all({ from: query.from, to: query.to, window: query.windowId ?? null }) as RollupRow[];
  const total = new Map<string, Record<string, number>>();
  const csiByHour = new Map<number, Record<string, number>>();
  const csiByDay = new Map<string, Record<string, number>>();
  const byWindow = new Map<string, Record<string, number>>();
  let misuse = 0;
  for (const row of rows) {
    if (row.question === MISUSE) {
      misuse += row.count;
      continue;
    }
    add(total, row.question, row.value, row.count);
    add(byWindow, `${row.window_id}\u0000${row.question}`, row.value, row.count);
    if (row.question !== 'csi') continue;
    add(csiByHour, row.hour, row.value, row.count);
    add(csiByDay, row.day, row.value, row.count);
  }
  const windows = [...new Set(rows.filter((r) => r.question !== MISUSE).map((r) => r.window_id))].sort();
  return {
    from: query.from,
    to: query.to,
    windowId: query.windowId ?? null,
    csi: csiFigures(numeric(total.get('csi'))),
    nps: npsFigures(numeric(total.get('nps'))),
    reasons: rankReasons(total.get('reasons') ?? {}, REASONS),
    misuse,
    byHour: [...csiByHour.keys()].sort((a, b) => a - b).map((hour) => ({ hour, csi: csiFigures(numeric(csiByHour.get(hour))) })),
    byDay: [...csiByDay.keys()].sort().map((day) => ({ day, csi: csiFigures(numeric(csiByDay.get(day))) })),
    byWindow: windows.map((windowId) => ({
      windowId,
      csi: csiFigures(numeric(byWindow.get(`${windowId}\u0000csi`))),
      nps: npsFigures(numeric(byWindow.get(`${windowId}\u0000nps`))),
    })),
  };
}

/** `pult stats`: the figures read on a read-only connection, beside the running console. */
export function readPeriodStats(dataDir: string, query: StatsQuery, sqlite: SqliteSetup = {}): PeriodStats {
  const db = openDatabaseReadOnly(dataDir, sqlite);
  try {
    return periodStats(db, query);
  } finally {
    db.close();
  }
}

/** Today in the office's time zone (YYYY-MM-DD): the default period. */
export const officeToday = (timeZone: string, nowMs: number = Date.now()): string => localDayAndHour(timeZone)(nowMs).day;
