import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCollectorProcess } from './support/collector-process.js';
import { runPult } from './support/host-process.js';
import { httpCall, tap } from './support/press.js';
import { registeredConsole } from './support/registered-console.js';
import { useTempDirs } from './support/temp-dir.js';

/** `pult doctor` beside a real running console and a real collector: what IT staff read at the terminal. */
const tempDir = useTempDirs();
type Doctor = { checks: { name: string; status: string; detail: string }[] };

describe('pult doctor', () => {
  it('a healthy console: every check ok, exit 0; the collector gone: that check fails with what to do, exit 2', async () => {
    const dir = tempDir();
    const dataDir = path.join(dir, 'data');
    const tokens = path.join(dir, 'tokens.json');
    const collector = await startCollectorProcess(['--db', path.join(dir, 'c.db'), '--tokens', tokens]);
    const console = await registeredConsole({ dir, dataDir, tokens, endpoint: collector.url });
    const host = await console.start();
    const doctor = async () => {
      const result = await runPult([
        'doctor',
        '--json',
        '--data-dir',
        dataDir,
        '--config',
        path.join(dir, 'console.json'),
        '--url',
        host.url,
      ]);
      return { code: result.code, ...(JSON.parse(result.stdout) as Doctor) };
    };
    try {
      await tap(httpCall(host.url), 5);
      const healthy = await doctor();
      const byName = Object.fromEntries(healthy.checks.map((check) => [check.name, check]));
      expect(Object.keys(byName)).toEqual(
        expect.arrayContaining([
          'version',
          'config',
          'dataDir',
          'database',
          'disk',
          'answers',
          'collector',
          'clock',
          'token',
          'console',
        ]),
      );
      expect(healthy.checks.filter((check) => check.status !== 'ok')).toEqual([]);
      expect(healthy.code).toBe(0);
      expect(byName.database!.detail).toMatch(/quick_check ok/);
      expect(byName.token!.detail).toMatch(/accepts this console's token/);

      await collector.stop();
      const cut = await doctor();
      expect(cut.code).toBe(2);
      expect(cut.checks.find((check) => check.name === 'collector')).toMatchObject({
        status: 'fail',
        detail: expect.stringMatching(/unreachable .*: check the network/),
      });
      // Human form: one line per check, status first.
      const text = await runPult([
        'doctor',
        '--data-dir',
        dataDir,
        '--config',
        path.join(dir, 'console.json'),
        '--url',
        host.url,
      ]);
      expect(text.stdout).toMatch(/^fail {2}collector/m);
    } finally {
      await host.stop();
      await collector.stop();
    }
  }, 60_000);

  it('an unknown token is named as refused, a console not running as a warning', async () => {
    const dir = tempDir();
    const dataDir = path.join(dir, 'data');
    const tokens = path.join(dir, 'tokens.json');
    const collector = await startCollectorProcess(['--db', path.join(dir, 'c.db'), '--tokens', tokens]);
    try {
      await registeredConsole({ dir, dataDir, tokens, endpoint: collector.url });
      // Another registration replaces this console's token on the collector: the one in its file is refused.
      await registeredConsole({ dir: tempDir(), dataDir, tokens, endpoint: collector.url });
      const result = await runPult([
        'doctor',
        '--json',
        '--data-dir',
        dataDir,
        '--config',
        path.join(dir, 'console.json'),
        '--url',
        'http://127.0.0.1:9/',
      ]);
      const { checks } = JSON.parse(result.stdout) as Doctor;
      expect(checks.find((c) => c.name === 'token')).toMatchObject({
        status: 'fail',
        detail: expect.stringMatching(/refuses this console's token \(HTTP 401\)/),
      });
      expect(checks.find((c) => c.name === 'console')).toMatchObject({ status: 'warn' });
      expect(result.code).toBe(2);
    } finally {
      await collector.stop();
    }
  }, 60_000);
});
