import type Database from 'better-sqlite3';

/**
 * What the uploader still has to deliver, in seq order. A row leaves only when the collector
 * acknowledged its answer; counts are kept by triggers (migration 2), never counted per tap.
 */
export function outboxTable(db: Database.Database) {
  const insert = db.prepare('INSERT INTO outbox (seq) VALUES (?)');
  return { enqueue: (seq: number): void => void insert.run(seq) };
}
