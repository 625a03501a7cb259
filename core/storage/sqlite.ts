import Database from 'better-sqlite3';

/**
 * Every SQLite file the core opens goes through here, so that one setting can point
 * better-sqlite3 at a native module built for Electron's ABI (a development Electron run; a
 * packaged app has its module rebuilt by electron-builder and needs no setting).
 */
let nativeBinding: string | undefined;

export function useSqliteNativeBinding(file: string | undefined): void {
  nativeBinding = file;
}

export function openSqlite(file: string, options: Database.Options = {}): Database.Database {
  return new Database(file, nativeBinding ? { ...options, nativeBinding } : options);
}
