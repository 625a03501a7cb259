import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { PultFailure } from '../errors.js';
import {
  DatabaseFromFutureError,
  LATEST_SCHEMA_VERSION,
  migrate,
  MIGRATIONS,
  schemaVersion,
  type MigrationContext,
} from './migrations.js';
import { asReadable, type ReadableDB } from './readable.js';
import { isCorruption, openSqlite, type SqliteSetup } from './sqlite.js';

export const DATABASE_FILE = 'pult.sqlite';
const CORRUPT_DIR = 'corrupt';
/** The WAL is cut back to this size after each checkpoint that emptied it (it grows while a reader holds a snapshot). */
export const WAL_SIZE_LIMIT_BYTES = 4 * 1024 * 1024;

const stamp = (): string => new Date().toISOString().replace(/[:.]/g, '-');

/** Removes a database file together with its WAL and shared-memory file (a copy of ours, never the data). */
export const removeDatabaseFiles = (file: string): void =>
  ['', '-wal', '-shm'].forEach((suffix) => fs.rmSync(file + suffix, { force: true }));

/**
 * SQLite's quick_check of a file on a connection of its own: 'ok', or what it found. `readonly`
 * beside a running console (pult doctor); read-write for a WAL copy of ours that has no -shm yet.
 */
export function quickCheck(file: string, setup: SqliteSetup, options: { readonly: boolean }): string {
  try {
    const db = openSqlite(file, setup, { readonly: options.readonly, fileMustExist: true });
    try {
      return db.pragma('quick_check', { simple: true }) as string;
    } finally {
      db.close();
    }
  } catch (error) {
    return (error as Error).message;
  }
}

/** Moves the damaged file (with its WAL) into corrupt/, never deletes it; returns where it went. */
export function moveAside(dataDir: string, file: string, label = DATABASE_FILE): string {
  const target = path.join(dataDir, CORRUPT_DIR, `${stamp()}-${label}`);
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
 * Opens the console's database for writing: refuses one from a newer Pult before touching it,
 * sets durability pragmas and migrates. Reading the schema is enough to notice a file that is
 * not a database or has a broken first page (thrown as corruption); the full check runs later,
 * off the start-up path (integrity.ts). The caller must hold the instance lock.
 */
export function openWritable(file: string, setup: SqliteSetup, context: MigrationContext = {}): Database.Database {
  const db = openSqlite(file, setup);
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    refuseFutureSchema(db, file);
    db.pragma('busy_timeout = 5000'); // start-up only: another process may be finishing a read
    // WAL + FULL: a COMMIT that returned survives a power cut, and readers (export) never block the writer.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    // Never wait inside SQLite: a foreign lock would freeze the whole event loop. Storage retries
    // asynchronously instead (storage.ts).
    migrate(db, MIGRATIONS, context);
    db.pragma('busy_timeout = 0');
    return db;
  } catch (error) {
    if (db.open) db.close();
    throw error;
  }
}

export interface OpenedFile {
  db: Database.Database;
  /** Set when the file was damaged and moved aside; a fresh one was created in its place. */
  movedAside: { movedTo: string; reason: string } | null;
}

/** Opens the data directory's database, moving a damaged one aside (kept) for a fresh one. */
export function openDatabase(dataDir: string, setup: SqliteSetup, context: MigrationContext = {}): OpenedFile {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, DATABASE_FILE);
  try {
    return { db: openWritable(file, setup, context), movedAside: null };
  } catch (error) {
    if (!isCorruption(error)) throw error;
    const movedTo = moveAside(dataDir, file);
    return { db: openWritable(file, setup, context), movedAside: { movedTo, reason: (error as Error).message } };
  }
}

/** Opens an existing database read-only, e.g. for `pult export` beside a running console. */
export function openDatabaseReadOnly(dataDir: string, setup: SqliteSetup = {}): ReadableDB {
  const file = path.join(dataDir, DATABASE_FILE);
  if (!fs.existsSync(file)) throw new PultFailure('noDatabase', { dataDir, file: DATABASE_FILE });
  const db = openSqlite(file, setup, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  refuseFutureSchema(db, file);
  return asReadable(db);
}

/** Which file a path names right now: device and inode (on Windows, the file index), and its size. */
export interface FileIdentity {
  dev: number;
  ino: number;
  size: number;
}
export function fileIdentity(file: string): FileIdentity | null {
  try {
    const stats = fs.statSync(file, { throwIfNoEntry: false });
    return stats ? { dev: stats.dev, ino: stats.ino, size: stats.size } : null;
  } catch {
    return null;
  }
}
export const sameFile = (a: FileIdentity | null, b: FileIdentity | null): boolean =>
  a !== null && b !== null && a.dev === b.dev && a.ino === b.ino;
