import Database from 'better-sqlite3';

/**
 * How to load SQLite: a development Electron run names a better-sqlite3 build for Electron's ABI
 * (`pult start` makes it); everywhere else the default build is used. Passed down from the shell
 * that knows, never set as a global.
 */
export type SqliteSetup = Pick<Database.Options, 'nativeBinding'>;

/** Every SQLite file the core opens goes through here. */
export function openSqlite(file: string, setup: SqliteSetup, options: Database.Options = {}): Database.Database {
  return new Database(file, setup.nativeBinding ? { ...options, nativeBinding: setup.nativeBinding } : options);
}

/** Errors that mean "this file is damaged or not a database", as opposed to "cannot open it". */
export const isCorruption = (error: unknown): boolean => {
  const code = (error as { code?: string } | null)?.code;
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT_INDEX';
};
