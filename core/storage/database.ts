import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { OperatorError } from '../operator-error.js';
import { openSqlite } from './sqlite.js';
import { DatabaseFromFutureError, LATEST_SCHEMA_VERSION, migrate, schemaVersion } from './migrations.js';

export const DATABASE_FILE = 'pult.sqlite';
const CORRUPT_DIR = 'corrupt';

export interface OpenedDatabase {
  db: Database.Database;
  file: string;
  /** Set when the file failed its check and was moved aside; the console goes on with a fresh one. */
  recoveredFrom: { movedTo: string; reason: string } | null;
}

/** quick_check, or the error SQLite gives when the file is not a database at all. */
function integrityProblem(file: string): string | null {
  let db: Database.Database | undefined;
  try {
    db = openSqlite(file, { fileMustExist: true });
    const rows = db.pragma('quick_check') as { quick_check: string }[];
    const verdict = rows.map((r) => r.quick_check).join('; ');
    return verdict === 'ok' ? null : verdict;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return (error as Error).message;
    throw error;
  } finally {
    db?.close();
  }
}

/** Moves the damaged file (with its WAL) into corrupt/ so it can still be exported, never deletes it. */
function moveAside(dataDir: string, file: string): string {
  const target = path.join(dataDir, CORRUPT_DIR, `${new Date().toISOString().replace(/[:.]/g, '-')}-${DATABASE_FILE}`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) {
    if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, target + suffix);
  }
  return target;
}

function refuseFutureSchema(db: Database.Database, file: string): void {
  const found = schemaVersion(db);
  if (found > LATEST_SCHEMA_VERSION) {
    db.close();
    throw new DatabaseFromFutureError(file, found);
  }
}

/**
 * Opens the console's database for writing: checks it, refuses one from a newer Pult before
 * touching it, then sets durability pragmas and migrates. The caller must hold the instance lock.
 */
export function openDatabase(dataDir: string): OpenedDatabase {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, DATABASE_FILE);
  let recoveredFrom: OpenedDatabase['recoveredFrom'] = null;
  if (fs.existsSync(file)) {
    const problem = integrityProblem(file);
    if (problem) recoveredFrom = { movedTo: moveAside(dataDir, file), reason: problem };
  }
  const db = openSqlite(file);
  refuseFutureSchema(db, file);
  // WAL + FULL: a COMMIT that returned survives a power cut, and readers (export) never block the writer.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return { db, file, recoveredFrom };
}

/** Opens an existing database read-only, e.g. for `pult export` beside a running console. */
export function openDatabaseReadOnly(dataDir: string): Database.Database {
  const file = path.join(dataDir, DATABASE_FILE);
  if (!fs.existsSync(file)) throw new OperatorError('noDatabase', { dataDir, file: DATABASE_FILE });
  const db = openSqlite(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  refuseFutureSchema(db, file);
  return db;
}
