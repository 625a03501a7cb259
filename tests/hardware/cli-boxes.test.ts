import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEMO_CONFIG } from '../../shared/config.js';
import { PULT_BIN, runPult, startHost, stopProcess } from '../support/host-process.js';
import { useTempDirs } from '../support/temp-dir.js';

/** The commands IT staff use to wire a box, run as they would run them. */
const tempDir = useTempDirs();
const running: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((child) => stopProcess(child)));
});

/** Starts `pult <args>` with piped stdin; `lines` holds what it printed so far. */
function spawnPult(args: string[]) {
  const child = spawn(process.execPath, [PULT_BIN, ...args], {
    env: { ...process.env, PULT_LANG: 'en' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.push(child);
  const lines: string[] = [];
  readline.createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
  child.stderr!.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
  return { child, lines, type: (text: string) => child.stdin!.write(text) };
}

describe('pult box-sim and pult ports', () => {
  it('box-sim prints the config to use; a console with it stores the presses typed into it', async () => {
    const dir = tempDir();
    const sim = spawnPult(['box-sim', '--dir', dir, '--buttons', '5']);
    await vi.waitFor(() => expect(sim.lines.join('\n')).toMatch(/virtual box ready/), { timeout: 10_000 });
    const printed = /put this in the console's config: (\{.*\})$/m.exec(sim.lines.join('\n'))![1]!;
    const { boxes } = JSON.parse(printed) as { boxes: unknown[] };
    expect(boxes).toEqual([{ id: 'sim', port: { path: path.join(dir, 'console') }, buttons: 5 }]);

    const config = path.join(dir, 'console.json');
    fs.writeFileSync(config, JSON.stringify({ ...DEMO_CONFIG, flow: [{ type: 'csi' }], timeouts: { settleMs: 0 }, boxes }));
    const dataDir = path.join(dir, 'data');
    const host = await startHost(['--config', config, '--data-dir', dataDir]);
    try {
      await vi.waitFor(() => expect(sim.lines.join('\n')).toMatch(/console: ping/), { timeout: 5_000 });
      sim.type('4\n');
      await vi.waitFor(() => expect(sim.lines.join('\n')).toMatch(/console: acknowledged/), { timeout: 5_000 });
      const db = new Database(path.join(dataDir, 'pult.sqlite'), { readonly: true });
      expect(db.prepare('SELECT question, value, source FROM answers').all()).toEqual([
        { question: 'csi', value: 4, source: 'button:sim' },
      ]);
      db.close();
    } finally {
      await host.stop();
    }
  });

  it('ports --watch shows the presses on a port live', async () => {
    const dir = tempDir();
    const sim = spawnPult(['box-sim', '--dir', dir]);
    await vi.waitFor(() => expect(sim.lines.join('\n')).toMatch(/virtual box ready/), { timeout: 10_000 });
    const watch = spawnPult(['ports', '--watch', path.join(dir, 'console')]);
    await vi.waitFor(() => expect(watch.lines.join('\n')).toMatch(/connected on .*console \(firmware sim-1\.0\)/), {
      timeout: 5_000,
    });
    sim.type('2\n');
    await vi.waitFor(() => expect(watch.lines.join('\n')).toMatch(/button 2 pressed/), { timeout: 5_000 });
  });

  it('ports --json lists the ports as data; a bad --buttons is refused', async () => {
    const listed = await runPult(['ports', '--json']);
    expect(listed.code).toBe(0);
    expect(Array.isArray(JSON.parse(listed.stdout))).toBe(true);
    const bad = await runPult(['box-sim', '--buttons', '12']);
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringMatching(/--buttons: "12" is not a number from 1 to 9/) });
  });
});
