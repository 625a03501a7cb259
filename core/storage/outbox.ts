import type Database from 'better-sqlite3';
import { ANSWER_COLUMNS, type StoredAnswerRow } from './answers.js';

/**
 * What the uploader still has to deliver, in seq order. A row leaves only when the collector
 * acknowledged its answer; counts are kept by triggers (migration 2), never counted per tap.
 */
export function outboxTable(db: Database.Database) {
  const insert = db.prepare('INSERT INTO outbox (seq) VALUES (?)');
  const oldest = db
    .prepare('SELECT a.created_at_ms FROM outbox o JOIN answers a ON a.seq = o.seq ORDER BY o.seq LIMIT 1')
    .pluck();
  const unsent = db.prepare(
    `SELECT o.seq, ${ANSWER_COLUMNS.map((c) => `a.${c}`).join(', ')} FROM outbox o JOIN answers a ON a.seq = o.seq ORDER BY o.seq`,
  );
  return {
    enqueue: (seq: number): void => void insert.run(seq),
    /** Every answer not yet acknowledged, in seq order (a stick bundle carries them). */
    unsent: (): StoredAnswerRow[] => unsent.all() as StoredAnswerRow[],
    /** When the oldest answer not yet delivered was stored (device clock); null when all are delivered. */
    oldestUnsentAt: (): number | null => (oldest.get() as number | undefined) ?? null,
  };
}
