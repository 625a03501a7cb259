import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { PULT_BIN, stopProcess } from './host-process.js';

/** Starts `pult collector serve` on a free port and resolves when it prints its ready line. */
export function startCollectorProcess(args: string[]): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [PULT_BIN, 'collector', 'serve', '--port', '0', ...args], {
    env: { ...process.env, PULT_LANG: 'en' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /collector ready at (\S+)/.exec(line);
      if (match) resolve({ url: match[1]!, child, stop: () => stopProcess(child) });
    });
    child.once('exit', (code) => reject(new Error(`pult collector serve exited (${code}) before it was ready`)));
  });
}
