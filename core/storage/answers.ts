import { z } from 'zod';
import type Database from 'better-sqlite3';
import type { ParsedAnswer } from '../../shared/answer.js';

/**
 * The `answers` table family's one row mapping. The column list lives here once: the insert is
 * generated from it, exports and salvage read rows through it. (Migrations keep their own SQL:
 * they are history and never change.)
 */
export const AnswerRowSchema = z.strictObject({
  id: z.string(), // UUIDv7, the collector's idempotency key
  response_id: z.string(),
  question: z.string(),
  value: z.number().int().nullable(),
  reasons: z.string().nullable(), // JSON array, follow-up answers only
  comment: z.string().nullable(),
  locale: z.string(),
  source: z.string(),
  flags: z.string(), // JSON array, e.g. ["misuse"]
  office_id: z.string(),
  window_id: z.string(),
  operator_id: z.string().nullable(), // the clerk at the window, when the queue tells us
  ticket: z.string().nullable(),
  service_id: z.string().nullable(), // the ФРГУ service of the ticket, when the queue tells us
  created_at_ms: z.number().int(), // device wall clock (may be wrong)
  mono_ms: z.number(), // monotonic clock within boot_id
  boot_id: z.string(),
  recovered_from: z.string().nullable(), // set when salvaged from a damaged database file
});
export type AnswerRow = z.output<typeof AnswerRowSchema>;
export type StoredAnswerRow = AnswerRow & { seq: number };

export const ANSWER_COLUMNS = Object.keys(AnswerRowSchema.shape) as (keyof AnswerRow)[];

/** Everything the core stamps on an answer besides what the screen sent. */
export interface AnswerStamp {
  id: string;
  officeId: string;
  windowId: string;
  operatorId: string | null;
  /** The ticket being served and its service, when the queue said so (core/queue-desk.ts). */
  ticket?: string | null;
  serviceId?: string | null;
  createdAtMs: number;
  monoMs: number;
  bootId: string;
}

export function answerRow(answer: ParsedAnswer, stamp: AnswerStamp): AnswerRow {
  return {
    id: stamp.id,
    response_id: answer.responseId,
    question: answer.question,
    value: 'value' in answer ? answer.value : null,
    reasons: answer.question === 'reasons' ? JSON.stringify(answer.reasons) : null,
    comment: 'comment' in answer ? (answer.comment ?? null) : null,
    locale: answer.locale,
    source: answer.source,
    flags: JSON.stringify(answer.flags),
    office_id: stamp.officeId,
    window_id: stamp.windowId,
    operator_id: stamp.operatorId,
    ticket: stamp.ticket ?? answer.ticket ?? null,
    service_id: stamp.serviceId ?? null,
    created_at_ms: stamp.createdAtMs,
    mono_ms: stamp.monoMs,
    boot_id: stamp.bootId,
    recovered_from: null,
  };
}

export const isMisuse = (row: Pick<AnswerRow, 'flags'>): boolean => (JSON.parse(row.flags) as string[]).includes('misuse');
/** A second response for one ticket: stored, sent, never counted (docs/queue.md). */
export const isRepeat = (row: Pick<AnswerRow, 'flags'>): boolean => (JSON.parse(row.flags) as string[]).includes('repeat');

/** Prepared statements of the answers table on one connection. */
export function answersTable(db: Database.Database) {
  const insert = db.prepare(
    `INSERT INTO answers (${ANSWER_COLUMNS.join(', ')}) VALUES (${ANSWER_COLUMNS.map((c) => `@${c}`).join(', ')})`,
  );
  const byId = db.prepare('SELECT seq FROM answers WHERE id = ?').pluck();
  const idAt = db.prepare('SELECT id FROM answers WHERE seq = ?').pluck();
  // A retried save of the same question in the same response (the first try's reply was lost).
  const sameQuestion = db.prepare(`SELECT seq, id FROM answers WHERE response_id = ? AND question = ? AND flags = '[]' LIMIT 1`);
  // The newest answer by seq (the rowid): one step down the B-tree, at any size. (max(created_at_ms)
  // would scan the table: it has no time index, see migration 4.)
  // max(seq) of an INTEGER PRIMARY KEY is one look-up, and the plan says so (query-plan.test.ts).
  const lastCreatedAt = db.prepare('SELECT created_at_ms FROM answers WHERE seq = (SELECT max(seq) FROM answers)').pluck();
  return {
    insert: (row: AnswerRow): number => Number(insert.run(row).lastInsertRowid),
    hasId: (id: string): boolean => byId.get(id) !== undefined,
    seqOf: (id: string): number | undefined => byId.get(id) as number | undefined,
    idAt: (seq: number): string => idAt.get(seq) as string,
    findAnswered: (responseId: string, question: string) =>
      sameQuestion.get(responseId, question) as { seq: number; id: string } | undefined,
    lastCreatedAtMs: (): number | null => (lastCreatedAt.get() as number | null) ?? null,
  };
}

/**
 * The answer columns a file holds, as a select list: a file an older Pult wrote (read, not yet
 * migrated: `pult export` before the console's first start after an upgrade, or a damaged file
 * being salvaged) lacks the later columns, which read as null.
 */
export function answerColumnsIn(db: Database.Database, wanted: readonly (keyof AnswerRow)[] = ANSWER_COLUMNS): string {
  let present: Set<string>;
  try {
    present = new Set((db.pragma('table_info(answers)') as { name: string }[]).map((column) => column.name));
  } catch {
    present = new Set();
  }
  return wanted.map((column) => (present.size === 0 || present.has(column) ? column : `NULL AS ${column}`)).join(', ');
}

/** Every stored answer in seq order, optionally within [fromMs, toMs) and of one window: the source of exports. */
export function iterateAnswers(
  db: Database.Database,
  filter: { fromMs?: number; toMs?: number; windowId?: string },
): IterableIterator<StoredAnswerRow> {
  return db
    .prepare(
      `SELECT seq, ${answerColumnsIn(db)} FROM answers
       WHERE created_at_ms >= @from AND created_at_ms < @to AND (@window IS NULL OR window_id = @window) ORDER BY seq`,
    )
    .iterate({
      from: filter.fromMs ?? Number.MIN_SAFE_INTEGER,
      to: filter.toMs ?? Number.MAX_SAFE_INTEGER,
      window: filter.windowId ?? null,
    }) as IterableIterator<StoredAnswerRow>;
}
