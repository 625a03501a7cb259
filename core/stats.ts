import type Database from 'better-sqlite3';
import { MKGU_INDICATORS, mkguQuestion, REASONS } from '../shared/answer.js';
import {
  csiFigures,
  fairFigures,
  npsFigures,
  pooledShare,
  rankReasons,
  CRITERIA,
  type Counts,
  type Criterion,
  type FairFigures,
} from '../shared/metrics.js';
import { nextDay, shiftDay } from '../shared/office-time.js';
import type { OperatorStats, PeriodStats, WindowFigures } from '../shared/supervisor.js';
import { openDatabaseReadOnly } from './storage/database.js';
import type { ReadableDB } from './storage/readable.js';
import { EVERY_WINDOW, statsStatements, type Counted } from './storage/stats-queries.js';
import { localDayAndHour, MISUSE, NO_SERVICE, REPEAT } from './storage/rollups.js';
import type { SqliteSetup } from './storage/sqlite.js';

/** A period of office-local days, both ends included, for one window or all of them. */
export interface StatsQuery {
  from: string;
  to: string;
  windowId?: string;
}

export type { PeriodStats, WindowFigures } from '../shared/supervisor.js';

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

const sumOf = (counts: Record<string, number> | undefined): number => Object.values(counts ?? {}).reduce((sum, n) => sum + n, 0);

/** Periods up to this many days are shown by day; longer ones by month (and read from the monthly rollups). */
const DAILY_UP_TO_DAYS = 62;

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;
const monthOf = (day: string) => day.slice(0, 7);
const firstOfNextMonth = (day: string): string => {
  const [year, month] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))];
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
};
const lastOfPreviousMonth = (day: string): string => shiftDay(`${day.slice(0, 8)}01`, -1);

/** A range of buckets a period reads, added (or, to take days out of a whole month, subtracted). */
interface Span {
  length: 10 | 7;
  from: string;
  to: string;
  sign: 1 | -1;
}

/**
 * Part of one month: its days, or — when fewer of the month's days lie outside the part — the
 * whole month less those days (the 26 days of this month so far: the month less 4 days).
 */
function partOfMonth(from: string, to: string): Span[] {
  const first = `${from.slice(0, 8)}01`;
  const last = lastOfPreviousMonth(firstOfNextMonth(from));
  const inside = dayNumber(to) - dayNumber(from) + 1;
  if (inside <= dayNumber(last) - dayNumber(first) + 1 - inside) return [{ length: 10, from, to, sign: 1 }];
  return [
    { length: 7, from: monthOf(from), to: monthOf(from), sign: 1 },
    ...(first < from ? [{ length: 10 as const, from: first, to: shiftDay(from, -1), sign: -1 as const }] : []),
    ...(to < last ? [{ length: 10 as const, from: nextDay(to), to: last, sign: -1 as const }] : []),
  ];
}

/** The buckets a period reads: its days, or — when long — the whole months inside it and the parts of months around them. */
function spansOf(query: StatsQuery, byMonth: boolean): Span[] {
  if (!byMonth) return [{ length: 10, from: query.from, to: query.to, sign: 1 }];
  const wholeFrom = query.from.endsWith('-01') ? query.from : firstOfNextMonth(query.from);
  const wholeTo = lastOfPreviousMonth(firstOfNextMonth(query.to)) === query.to ? query.to : lastOfPreviousMonth(query.to);
  if (wholeFrom > wholeTo) return [{ length: 10, from: query.from, to: query.to, sign: 1 }];
  return [
    { length: 7, from: monthOf(wholeFrom), to: monthOf(wholeTo), sign: 1 },
    ...(query.from < wholeFrom ? partOfMonth(query.from, lastOfPreviousMonth(wholeFrom)) : []),
    ...(query.to > wholeTo ? partOfMonth(firstOfNextMonth(wholeTo), query.to) : []),
  ];
}

/**
 * Runs a statement over each span of the period and folds the rows by key; what a subtracted span
 * took back to nothing is dropped (an hour or a month without answers is absent, as if never read).
 */
function fold(spans: (Span & { statement: Database.Statement })[], scope: string) {
  const into = new Map<string, Record<string, number>>();
  for (const { from, to, statement, sign } of spans)
    for (const row of statement.all({ scope, from, to }) as Counted[]) add(into, String(row.key), row.value, sign * row.count);
  for (const [key, counts] of into) {
    for (const [value, count] of Object.entries(counts)) if (count === 0) delete counts[value];
    if (Object.keys(counts).length === 0) into.delete(key);
  }
  return into;
}

/**
 * The statistics of a period, from the summed rollups only (never the answers), through the one
 * metrics module (shared/metrics.ts): the figures `pult stats` prints and the supervisor sees.
 */
/** Ours in our order, then any other reason chosen (an office's own, by id): every reason counted is shown. */
const reasonOrder = (counts: Record<string, number>): string[] => [
  ...REASONS,
  ...Object.keys(counts)
    .filter((id) => !(REASONS as readonly string[]).includes(id))
    .sort(),
];

export function periodStats(db: ReadableDB, query: StatsQuery): PeriodStats {
  const byMonth = dayNumber(query.to) - dayNumber(query.from) + 1 > DAILY_UP_TO_DAYS;
  const spans = spansOf(query, byMonth);
  const scope = query.windowId ?? EVERY_WINDOW;
  const q = statsStatements(db);
  const over = (pick: (length: 10 | 7) => Database.Statement) => spans.map((span) => ({ ...span, statement: pick(span.length) }));
  const total = fold(
    over((l) => q.totals[l]),
    scope,
  );
  const hours =
    scope === EVERY_WINDOW
      ? fold(
          over((l) => q.csiByHour[l]),
          scope,
        )
      : fold(
          over((l) => (l === 10 ? q.windowHours : q.csiByHour[7])),
          scope,
        );
  const overTime = new Map<string, Record<string, number>>();
  for (const [bucket, counts] of fold(
    over((l) => q.csiOver[l]),
    scope,
  ))
    for (const [value, count] of Object.entries(counts)) add(overTime, byMonth ? monthOf(bucket) : bucket, value, count);
  return {
    from: query.from,
    to: query.to,
    windowId: query.windowId ?? null,
    csi: csiFigures(numeric(total.get('csi'))),
    nps: npsFigures(numeric(total.get('nps'))),
    reasons: rankReasons(total.get('reasons') ?? {}, reasonOrder(total.get('reasons') ?? {})),
    misuse: sumOf(total.get(MISUSE)),
    repeats: sumOf(total.get(REPEAT)),
    criteria: MKGU_INDICATORS.flatMap((indicator) => {
      const figures = csiFigures(numeric(total.get(mkguQuestion(indicator))));
      return figures ? [{ indicator, figures }] : [];
    }),
    byHour: [...hours.keys()]
      .map(Number)
      .sort((a, b) => a - b)
      .map((hour) => ({ hour, csi: csiFigures(numeric(hours.get(String(hour)))) })),
    trend: {
      unit: byMonth ? 'month' : 'day',
      points: [...overTime.keys()].sort().map((period) => ({ period, csi: csiFigures(numeric(overTime.get(period))) })),
    },
  };
}

/** Each window's CSI and NPS over the period, for the list of every window (windows with no answers left out). */
export function windowStats(db: ReadableDB, query: Omit<StatsQuery, 'windowId'>): WindowFigures[] {
  const byMonth = dayNumber(query.to) - dayNumber(query.from) + 1 > DAILY_UP_TO_DAYS;
  const q = statsStatements(db);
  const ranges = spansOf(query, byMonth).map((span) => ({ ...span, statement: q.totals[span.length] }));
  return q
    .windows()
    .map((windowId) => {
      const totals = fold(ranges, windowId);
      return { windowId, csi: csiFigures(numeric(totals.get('csi'))), nps: npsFigures(numeric(totals.get('nps'))) };
    })
    .filter((window) => window.csi !== null || window.nps !== null);
}

/**
 * The spans of a period with the fewest buckets: each month it touches read whole from the
 * monthly rollups (less the days outside the period), or by its days when fewer. The operators'
 * tab needs no days of its own (it draws no trend), so even a week across two months reads ≤ 7.
 */
function fewestBuckets(from: string, to: string): Span[] {
  const spans: Span[] = [];
  for (let start = from; start <= to; start = firstOfNextMonth(start)) {
    const monthEnd = lastOfPreviousMonth(firstOfNextMonth(start));
    spans.push(...partOfMonth(start, monthEnd < to ? monthEnd : to));
  }
  return spans;
}

/** What the operators' tab is asked: a period, the criterion, the prior's strength. */
export interface OperatorQuery extends Omit<StatsQuery, 'windowId'> {
  criterion: Criterion;
  priorStrength: number;
}

/**
 * Each operator's figures over a period, fairly (docs/supervisor.md, «Операторы»): the share with
 * its Wilson interval and shrunk towards the pooled share of every bound rating, a place only from
 * RANKED_FROM ratings; and the same per operator at each service. Every window of the console
 * together (an operator serves where the queue sends them). Unbound ratings, misuse and repeats are
 * counted apart, never in an operator's figures.
 */
export function operatorStats(db: ReadableDB, query: OperatorQuery): OperatorStats {
  const spans = fewestBuckets(query.from, query.to);
  const q = statsStatements(db);
  const over = (pick: (length: 10 | 7) => Database.Statement) => spans.map((span) => ({ ...span, statement: pick(span.length) }));
  const { criterion } = query;
  // Per operator and service; an operator's own counts are the sum over their services.
  const services = [
    ...fold(
      over((l) => q.operators[l]),
      criterion,
    ),
  ].map(([key, counts]) => ({ key: JSON.parse(key) as [string, string], counts: numeric(counts) }));
  const byOperator = new Map<string, Record<number, number>>();
  for (const { key, counts } of services) {
    const sum = byOperator.get(key[0]) ?? {};
    for (const [value, count] of Object.entries(counts)) sum[Number(value)] = (sum[Number(value)] ?? 0) + count;
    byOperator.set(key[0], sum);
  }
  const operators = [...byOperator].map(([operatorId, counts]) => ({ key: [operatorId] as const, counts }));
  const totals = fold(
    over((l) => q.totals[l]),
    EVERY_WINDOW,
  );
  const names = new Map((q.names.all() as { key: string; value: string }[]).map((row) => [row.key, row.value]));
  const pooled = pooledShare(
    operators.map((o) => o.counts),
    criterion,
  );
  const figures = (counts: Counts): FairFigures => fairFigures(counts, criterion, pooled, query.priorStrength)!;
  const rows = operators
    .map(({ key: [operatorId], counts }) => ({
      operatorId,
      name: names.get(`operator:${operatorId}`) ?? null,
      figures: figures(counts),
      place: null as number | null,
      services: services
        .filter(({ key }) => key[0] === operatorId)
        .map(({ key: [, serviceId], counts }) => ({
          serviceId: serviceId === NO_SERVICE ? null : serviceId,
          name: serviceId === NO_SERVICE ? null : (names.get(`service:${serviceId}`) ?? null),
          figures: figures(counts),
        }))
        .sort((a, b) => b.figures.n - a.figures.n),
    }))
    .sort(
      (a, b) =>
        Number(b.figures.ranked) - Number(a.figures.ranked) || b.figures.shrunk - a.figures.shrunk || b.figures.n - a.figures.n,
    );
  rows.forEach((row, index) => (row.place = row.figures.ranked ? index + 1 : null));
  const { min, max } = CRITERIA[criterion];
  const answered = Object.entries(totals.get(criterion) ?? {})
    .filter(([value]) => Number(value) >= min && Number(value) <= max)
    .reduce((sum, [, n]) => sum + n, 0);
  return {
    from: query.from,
    to: query.to,
    criterion,
    pooledShare: pooled,
    priorStrength: query.priorStrength,
    operators: rows,
    unbound: Math.max(0, answered - rows.reduce((sum, row) => sum + row.figures.n, 0)),
    misuse: sumOf(totals.get(MISUSE)),
    repeats: sumOf(totals.get(REPEAT)),
  };
}

/** `pult stats --by operator`: the operators' figures on a read-only connection. */
export function readOperatorStats(dataDir: string, query: OperatorQuery, sqlite: SqliteSetup = {}): OperatorStats {
  const db = openDatabaseReadOnly(dataDir, sqlite);
  try {
    return operatorStats(db, query);
  } finally {
    db.close();
  }
}

/** `pult stats`: the figures read on a read-only connection, beside the running console. */
export function readPeriodStats(
  dataDir: string,
  query: StatsQuery,
  sqlite: SqliteSetup = {},
): PeriodStats & { byWindow: WindowFigures[] } {
  const db = openDatabaseReadOnly(dataDir, sqlite);
  try {
    const byWindow = windowStats(db, query).filter((window) => !query.windowId || window.windowId === query.windowId);
    return { ...periodStats(db, query), byWindow };
  } finally {
    db.close();
  }
}

/** Today in the office's time zone (YYYY-MM-DD): the default period. */
export const officeToday = (timeZone: string, nowMs: number = Date.now()): string => localDayAndHour(timeZone)(nowMs).day;
