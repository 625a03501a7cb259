import type Database from 'better-sqlite3';

/** Small facts about this console that outlive restarts (its device id). */
export function metaTable(db: Database.Database) {
  const read = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
  const insertNew = db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)');
  const upsert = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  return {
    read: (key: string): string | null => (read.get(key) as string | undefined) ?? null,
    write: (key: string, value: string): void => void upsert.run(key, value),
    /** Writes the value only if the key is new; returns the value that is stored. */
    init(key: string, value: string): string {
      insertNew.run(key, value);
      return (read.get(key) as string | undefined) ?? value;
    },
  };
}
