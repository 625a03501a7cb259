import type Database from 'better-sqlite3';

/** How many stored presses are remembered: far more than any screen could still be re-sending. */
export const PRESSES_KEPT = 10_000;

/** The presses table: a press id → the answer it stored (see migration 5). */
export function pressesTable(db: Database.Database) {
  const find = db.prepare('SELECT seq FROM presses WHERE press_id = ?').pluck();
  const insert = db.prepare('INSERT INTO presses (press_id, seq) VALUES (?, ?)');
  const prune = db.prepare('DELETE FROM presses WHERE seq <= (SELECT max(seq) FROM presses) - ?');
  return {
    /** The answer this press stored, if it stored one. */
    storedBy: (pressId: string): number | undefined => find.get(pressId) as number | undefined,
    remember: (pressId: string, seq: number): void => void insert.run(pressId, seq),
    prune: (): number => prune.run(PRESSES_KEPT).changes,
  };
}
