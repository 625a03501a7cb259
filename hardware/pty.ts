import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

/** A connected pair of pseudo-terminals made by socat: a serial cable without hardware. */
export interface PtyPair {
  /** The two ends, as stable symlinks: one for the console, one for the box (or simulator). */
  a: string;
  b: string;
  process: ChildProcess;
  /** Ends socat: both ends vanish, as when a USB adapter is pulled. */
  close(): Promise<void>;
}

/**
 * Starts `socat pty,link=a pty,link=b` and resolves once both links exist. `socat` must be
 * installed (Debian: `apt install socat`); the error says so.
 */
export function createPtyPair(a: string, b: string, timeoutMs = 5_000): Promise<PtyPair> {
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let printed = '';
  child.stderr!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const close = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const started = Date.now();
    child.once('error', (error) => reject(new Error(`socat could not start (${error.message}): install socat`)));
    child.once('exit', (code) => reject(new Error(`socat exited (${code}) before the ports were ready:\n${printed}`)));
    // socat logs "starting data transfer loop" once both ptys are open.
    const ready = () => {
      if (printed.includes('starting data transfer loop') && fs.existsSync(a) && fs.existsSync(b)) {
        child.removeAllListeners('exit');
        return resolve({ a, b, process: child, close });
      }
      if (Date.now() - started > timeoutMs) {
        void close();
        return reject(new Error(`socat did not create ${a} and ${b} within ${timeoutMs} ms:\n${printed}`));
      }
      setTimeout(ready, 20);
    };
    ready();
  });
}
