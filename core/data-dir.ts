import fs from 'node:fs';
import path from 'node:path';
import envPaths from 'env-paths';
import { PultFailure } from './errors.js';
import { DATABASE_FILE } from './storage/database.js';

/** $PULT_DATA_DIR, else the platform's per-user data folder (e.g. ~/.local/share/pult, %APPDATA%\pult\Data). */
export function defaultDataDir(env: Record<string, string | undefined>): string {
  return env.PULT_DATA_DIR || envPaths('pult', { suffix: '' }).data;
}

/**
 * The data directory exists (created if need be) and this process may write in it — said up front
 * in words that name the folder and the reason, rather than SQLite's «unable to open database
 * file» later. A read-only mount is caught even for root (EROFS).
 */
export function ensureWritableDataDir(dataDir: string): void {
  try {
    fs.mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    // Node's recursive mkdir reports ENOENT on a read-only mount: the nearest folder that exists says why.
    throw new PultFailure('dataDirNotCreated', { dataDir, reason: reasonOf(unwritable(nearestExisting(dataDir)) ?? error) });
  }
  for (const target of [dataDir, ...existing(dataDir, [DATABASE_FILE, `${DATABASE_FILE}-wal`])]) {
    const error = unwritable(target);
    if (error) throw new PultFailure('dataDirReadOnly', { dataDir, file: target, reason: reasonOf(error) });
  }
}

const nearestExisting = (dir: string): string =>
  fs.existsSync(dir) || path.dirname(dir) === dir ? dir : nearestExisting(path.dirname(dir));
const unwritable = (target: string): unknown => {
  try {
    fs.accessSync(target, fs.constants.W_OK);
    return null;
  } catch (error) {
    return error;
  }
};
const existing = (dir: string, names: string[]) =>
  names.map((name) => path.join(dir, name)).filter((file) => fs.existsSync(file));
const reasonOf = (error: unknown): string => {
  const { code, message } = error as NodeJS.ErrnoException;
  return code === 'EROFS' ? 'read-only file system' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : message;
};

/** Bytes free for this process on the disk holding `dir` (the heartbeat, pult doctor); null where unknown. */
export function freeDiskBytes(dir: string): number | null {
  try {
    const stats = fs.statfsSync(dir);
    return stats.bavail * stats.bsize;
  } catch {
    return null;
  }
}
