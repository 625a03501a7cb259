import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SqliteSetup } from './sqlite.js';

/**
 * The worker's code: its own read-only connection runs `quick_check`, which reads the whole file
 * (12.9 s for a million answers on a cold disk), so it never holds up start-up or a tap.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
let db;
try {
  db = new Database(workerData.file, { readonly: true, fileMustExist: true, nativeBinding: workerData.nativeBinding });
  const verdict = db.pragma('quick_check').map((row) => row.quick_check).join('; ');
  parentPort.postMessage({ problem: verdict === 'ok' ? null : verdict });
} catch (error) {
  const corrupt = error && (error.code === 'SQLITE_CORRUPT' || error.code === 'SQLITE_NOTADB');
  parentPort.postMessage(corrupt ? { problem: String(error.message) } : { failed: String(error && error.message) });
} finally {
  if (db) db.close();
}
`;

export type IntegrityVerdict = { problem: string | null } | { failed: string };

export interface IntegrityCheck {
  verdict: Promise<IntegrityVerdict>;
  /** Ends the worker (and its connection) and resolves once the thread is gone. */
  stop(): Promise<void>;
}

/** Checks the database file in a worker thread; `verdict` resolves with SQLite's answer. */
export function startIntegrityCheck(file: string, setup: SqliteSetup): IntegrityCheck {
  const sqliteModule = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, module: sqliteModule, nativeBinding: setup.nativeBinding },
  });
  worker.unref();
  const verdict = new Promise<IntegrityVerdict>((resolve) => {
    worker.once('message', (answer: IntegrityVerdict) => resolve(answer));
    worker.once('error', (error) => resolve({ failed: error.message }));
    worker.once('exit', (code) => resolve({ failed: `integrity worker exited with ${code}` }));
  });
  return { verdict, stop: () => worker.terminate().then(() => undefined) };
}
