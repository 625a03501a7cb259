import fs from 'node:fs';
import path from 'node:path';
import { EXIT, OperatorError } from '../operator-error.js';
import { openSqlite } from './sqlite.js';

const LOCK_FILE = 'instance.lock';
const PID_FILE = 'instance.pid';

export class DataDirInUseError extends OperatorError {
  constructor(
    readonly dataDir: string,
    readonly pid: string | null,
  ) {
    super(pid ? 'dataDirInUseByPid' : 'dataDirInUse', { dataDir, pid: pid ?? '' }, EXIT.dataDirInUse);
  }
}

export interface InstanceLock {
  release(): void;
}

/**
 * One process owns a data directory. The lock is an exclusive SQLite lock on a side file, held
 * for the life of the process: the OS drops it when the process dies, even by SIGKILL or power
 * loss, so a crashed console never leaves a stale lock behind.
 */
export function acquireInstanceLock(dataDir: string): InstanceLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const lock = openSqlite(path.join(dataDir, LOCK_FILE));
  try {
    lock.pragma('busy_timeout = 0');
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
    const pidFile = path.join(dataDir, PID_FILE);
    throw new DataDirInUseError(dataDir, fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').trim() : null);
  }
  fs.writeFileSync(path.join(dataDir, PID_FILE), String(process.pid));
  return {
    release() {
      if (!lock.open) return;
      lock.exec('ROLLBACK');
      lock.close();
    },
  };
}
