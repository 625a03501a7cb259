import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

export const PULT_BIN = fileURLToPath(new URL('../../bin/pult.js', import.meta.url));

/** Tests read the command's English lines, whatever the developer's own locale; a test may override. */
const ENGLISH = { PULT_LANG: 'en' };

export interface RunningHost {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** `limitMs`: how long it may take after SIGTERM (STOP_LIMIT_MS unless said). */
  stop(limitMs?: number): Promise<void>;
}

/**
 * Starts `pult serve` on a free port and resolves when it prints its ready line — a state, not
 * a sleep. Rejects with everything it printed if it exits first.
 */
export function startHost(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunningHost> {
  const child = spawn(
    process.execPath,
    [...(process.env.PULT_HOST_NODE_ARGS?.split(' ') ?? []), PULT_BIN, 'serve', '--port', '0', ...args],
    {
      env: { ...process.env, ...ENGLISH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let printed = '';
  child.stderr!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      printed += `${line}\n`;
      const match = /console ready at (http:\/\/[^\s"]+)/.exec(line);
      if (match)
        resolve({
          url: match[1]!,
          child,
          output: () => printed,
          stop: (limitMs?: number) => stopProcess(child, 'SIGTERM', limitMs),
        });
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`pult serve exited (${code ?? signal}) before it was ready:\n${printed}`)),
    );
  });
}

/** How long a process may take to stop after SIGTERM before the test says so (and kills it). */
const STOP_LIMIT_MS = 10_000;

/**
 * Stops a process and resolves when it exited. One that does not stop within `limitMs` (10 s) of
 * SIGTERM is killed and reported: a console that hangs on shutdown is a bug, not something to wait out.
 */
export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', limitMs = STOP_LIMIT_MS): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`pid ${child.pid} did not stop within ${limitMs} ms of ${signal}; killed`));
    }, limitMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** Runs the pult command to completion and returns what it printed and its exit code. */
export function runPult(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...(process.env.PULT_HOST_NODE_ARGS?.split(' ') ?? []), PULT_BIN, ...args], {
    env: { ...process.env, ...ENGLISH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
}
