import type Database from 'better-sqlite3';

/** Claims older than this are of visits long closed (a rating window is at most an hour). */
const CLAIMS_KEPT_MS = 2 * 86_400_000;

/**
 * One rating per ticket (migration 10): the visit key → the response that rated it. Taken in the
 * answer's own transaction, so the claim and the answer are on disk together or not at all.
 */
export function claimsTable(db: Database.Database) {
  const insert = db.prepare('INSERT INTO ticket_claims (key, response_id, at_ms) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING');
  const owner = db.prepare('SELECT response_id FROM ticket_claims WHERE key = ?').pluck();
  const prune = db.prepare('DELETE FROM ticket_claims WHERE at_ms < ?');
  return {
    /** True if this response is the visit's rating: the first to claim it, or the one that did. */
    take(key: string, responseId: string, atMs: number): boolean {
      insert.run(key, responseId, atMs);
      return owner.get(key) === responseId;
    },
    prune: (nowMs: number): number => prune.run(nowMs - CLAIMS_KEPT_MS).changes,
  };
}
