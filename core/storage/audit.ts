import type Database from 'better-sqlite3';
import type { AuditEntry } from '../../shared/supervisor.js';

/** How many changes the supervisor screen lists; the table keeps them all. */
const SHOWN = 50;

/** The audit log of settings changed on the console (migration 7). */
export function auditTable(db: Database.Database) {
  const insert = db.prepare('INSERT INTO audit (at_ms, what, before, after, by) VALUES (@atMs, @what, @from, @to, @by)');
  const newest = db.prepare(
    `SELECT at_ms AS atMs, what, before AS "from", after AS "to", by FROM audit ORDER BY seq DESC LIMIT ${SHOWN}`,
  );
  return {
    /** Writes the entries of one change together (one transaction: all or none). */
    append: db.transaction((entries: AuditEntry[]) => entries.forEach((entry) => insert.run(entry))),
    newest: () => newest.all() as AuditEntry[],
  };
}
