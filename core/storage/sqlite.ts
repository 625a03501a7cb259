import Database from 'better-sqlite3';

/**
 * How to load SQLite: a development Electron run names a better-sqlite3 build for Electron's ABI
 * (`pult start` makes it); everywhere else the default build is used. Passed down from the shell
 * that knows, never set as a global.
 */
export type SqliteSetup = Pick<Database.Options, 'nativeBinding'>;

/**
 * The page cache of each connection, in KiB. better-sqlite3's own default is 16 MiB a connection,
 * which a console's growing database fills in a day or two, so its memory grew with every answer
 * (benchmark r). A tap touches the newest pages of a few indexes and the rollups: 4 MiB holds
 * them many times over; older pages come from the operating system's cache when a report reads them.
 */
export const PAGE_CACHE_KIB = 4_096;

/** Every SQLite file the core opens goes through here. */
export function openSqlite(file: string, setup: SqliteSetup, options: Database.Options = {}): Database.Database {
  const db = new Database(file, setup.nativeBinding ? { ...options, nativeBinding: setup.nativeBinding } : options);
  db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  return db;
}

/** Errors that mean "this file is damaged or not a database", as opposed to "cannot open it". */
export const isCorruption = (error: unknown): boolean => {
  const code = (error as { code?: string } | null)?.code;
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT_INDEX';
};
