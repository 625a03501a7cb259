import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { SqliteSetup } from './sqlite.js';

/**
 * The checker's code: its own read-only connection runs `quick_check`, which reads the whole file
 * (12.9 s for a million answers on a cold disk, more than 30 s on a slow one), so it never holds up
 * start-up or a tap. It is a process of its own, not a worker thread: SQLite's check cannot be
 * interrupted, and a thread inside it holds up even process.exit until it returns — a console
 * stopped soon after a cold start outlived pult.service's TimeoutStopSec. A process is killed at once,
 * and a killed read-only reader leaves the file as it was. Its verdict is one line of JSON on stdout.
 */
const CHECKER_SOURCE = `
const [file, module, nativeBinding, statement] = JSON.parse(process.env.PULT_CHECK);
const Database = require(module);
let db;
let answer;
try {
  db = new Database(file, { readonly: true, fileMustExist: true, ...(nativeBinding && { nativeBinding }) });
  const verdict = db.prepare(statement).raw().all().map((row) => row[0]).join('; ');
  answer = { problem: verdict === 'ok' ? null : verdict };
} catch (error) {
  const corrupt = error && (error.code === 'SQLITE_CORRUPT' || error.code === 'SQLITE_NOTADB');
  answer = corrupt ? { problem: String(error.message) } : { failed: String(error && error.message) };
} finally {
  if (db) db.close();
}
process.stdout.write(JSON.stringify(answer) + '\\n');
`;

/** SQLite's check of every page, index and constraint that does not need the indexes rebuilt. */
const QUICK_CHECK = 'PRAGMA quick_check';

export type IntegrityVerdict = { problem: string | null } | { failed: string };

export interface IntegrityCheck {
  verdict: Promise<IntegrityVerdict>;
  /** The checker's process id (it shows in `ps` as the console's runtime with `-e`). */
  pid: number | undefined;
  /** Ends the checker (and its connection) and resolves once the process is gone. */
  stop(): Promise<void>;
}

/** A verdict as the checker printed it, or why there is none. */
function readVerdict(printed: string, exit: string): IntegrityVerdict {
  try {
    const answer = JSON.parse(printed) as IntegrityVerdict;
    if (('problem' in answer && (answer.problem === null || typeof answer.problem === 'string')) || 'failed' in answer)
      return answer;
  } catch {
    // not JSON: the checker died before its verdict
  }
  return { failed: `integrity checker ${exit}${printed ? `: ${printed.slice(0, 300)}` : ''}` };
}

/**
 * Checks the database file in a process of its own; `verdict` resolves with SQLite's answer.
 * `statement` is the check (tests give one that runs long). The checker is the console's own
 * runtime: Node for `pult serve`, Electron run as Node in the kiosk (the same SQLite build).
 */
export function startIntegrityCheck(file: string, setup: SqliteSetup, statement = QUICK_CHECK): IntegrityCheck {
  const sqliteModule = createRequire(import.meta.url).resolve('better-sqlite3');
  const child = spawn(process.execPath, ['-e', CHECKER_SOURCE], {
    env: {
      ...process.env,
      ELECTRON_RUN_AS_NODE: '1',
      PULT_CHECK: JSON.stringify([file, sqliteModule, setup.nativeBinding ?? null, statement]),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (printed += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (printed += chunk));
  const gone = new Promise<string>((resolve) => {
    child.once('error', (error) => resolve(`could not start: ${error.message}`));
    child.once('close', (code, signal) => resolve(signal ? `stopped by ${signal}` : `exited with ${code}`));
  });
  const verdict = gone.then((exit) => readVerdict(printed.trim(), exit));
  return {
    verdict,
    pid: child.pid,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return gone.then(() => undefined);
    },
  };
}
