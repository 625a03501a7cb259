import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { PULT_BIN, stopProcess } from './host-process.js';

/** Starts `pult collector serve` on a free port and resolves when it prints its ready line. */
export function startCollectorProcess(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ url: string; child: ChildProcess; output: () => string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [PULT_BIN, 'collector', 'serve', '--port', '0', ...args], {
    env: { ...process.env, PULT_LANG: 'en', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  child.stderr.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      printed += `${line}\n`;
      const match = /collector ready at ([^\s"]+)/.exec(line);
      if (match) resolve({ url: match[1]!, child, output: () => printed, stop: () => stopProcess(child) });
    });
    child.once('exit', (code) => reject(new Error(`pult collector serve exited (${code}) before it was ready:\n${printed}`)));
  });
}
