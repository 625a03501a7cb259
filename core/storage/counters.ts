import type Database from 'better-sqlite3';

/** The numbers kept by triggers in the writing transaction (migration 2): O(1) to read at any size. */
export function countersTable(db: Database.Database) {
  const read = db.prepare('SELECT name, value FROM counters');
  return {
    read(): { answers: number; outbox: number; quarantine: number } {
      const rows = read.all() as { name: string; value: number }[];
      const of = (name: string) => rows.find((row) => row.name === name)?.value ?? 0;
      return { answers: of('answers'), outbox: of('outbox'), quarantine: of('quarantine') };
    },
  };
}
