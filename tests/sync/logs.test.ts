import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { addDevice } from '../../collector/tokens.js';
import { DEMO_CONFIG } from '../../shared/config.js';
import { startCollectorProcess } from '../support/collector-process.js';
import { startFaultProxy, type Fault } from '../support/fault-proxy.js';
import { startHost } from '../support/host-process.js';
import { httpCall, QUICK_CONSOLE, tap } from '../support/press.js';
import { useTempDirs } from '../support/temp-dir.js';

/**
 * The journal's view of a full sync run: a real console and a real collector logging as their units
 * make them (PULT_LOG_FORMAT=json). Every line is pino JSON; each delivered batch is one line with
 * its counts; the device token, the applicant's comment and the PIN appear nowhere.
 */
const tempDir = useTempDirs();
const JSON_LOGS = { PULT_LOG_FORMAT: 'json' };

const parsedLines = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { level: number; msg: string; accepted?: number; duplicate?: number; app?: string });

/**
 * Twenty taps delivered from a real console to a real collector, both logging as `env` makes them;
 * with `faults`, the batches pass a proxy that misbehaves as planned.
 */
async function syncRun(env: NodeJS.ProcessEnv, faults: Fault[] = []) {
  const dir = tempDir();
  const dataDir = path.join(dir, 'data');
  const tokens = path.join(dir, 'tokens.json');
  const collector = await startCollectorProcess(['--db', path.join(dir, 'c.db'), '--tokens', tokens], env);
  const first = await startHost(['--data-dir', dataDir], env);
  const deviceId = ((await httpCall(first.url)('getStatus', {})) as { value: { deviceId: string } }).value.deviceId;
  await first.stop();
  const token = addDevice(tokens, deviceId);
  fs.writeFileSync(path.join(dir, 'token'), token);
  const config = path.join(dir, 'console.json');
  const proxy = faults.length ? await startFaultProxy(collector.url) : null;
  proxy?.plan(faults);
  const sync = { endpoint: proxy?.url ?? collector.url, tokenFile: 'token', intervalMs: 200, timeoutMs: 5_000 };
  fs.writeFileSync(config, JSON.stringify({ ...DEMO_CONFIG, ...QUICK_CONSOLE, sync }));
  const host = await startHost(['--config', config, '--data-dir', dataDir], env);
  const consoleLog = path.join(dataDir, 'logs', 'pult.log');
  const lines = () =>
    parsedLines(
      env.PULT_LOG_FORMAT === 'json' ? host.output() : fs.existsSync(consoleLog) ? fs.readFileSync(consoleLog, 'utf8') : '',
    );
  // A batch whose reply was lost (a timeout on a loaded machine) is sent again and its answers come
  // back `duplicate`: each answer is in exactly one delivery line, as accepted or as duplicate, and
  // the lost reply is a `sync failure` line of its own.
  const deliveredAnswers = (delivered: ReturnType<typeof lines>) =>
    delivered
      .filter((line) => line.msg === 'batch delivered')
      .reduce((sum, line) => sum + (line.accepted ?? 0) + (line.duplicate ?? 0), 0);
  try {
    for (let i = 0; i < 20; i++) await tap(httpCall(host.url), 1 + (i % 5));
    await vi.waitFor(
      () => {
        const now = lines();
        expect(
          deliveredAnswers(now),
          JSON.stringify(now.filter((line) => line.level >= 40 || line.msg === 'batch delivered')),
        ).toBe(20);
        const resent = now.some((line) => (line.duplicate ?? 0) > 0);
        if (resent) expect(now.some((line) => line.msg === 'sync failure')).toBe(true);
      },
      { timeout: 20_000, interval: 100 },
    );
  } finally {
    await host.stop();
    await proxy?.close();
    await collector.stop();
  }
  return { dir, dataDir, token, host, collector, lines: lines() };
}

describe('logs of a full sync run', () => {
  it('under systemd are JSON lines on stdout (the journal), one per delivery, and never carry the token', async () => {
    const { dataDir, token, host, collector } = await syncRun(JSON_LOGS);
    const consoleLines = parsedLines(host.output());
    expect(consoleLines.some((line) => /console ready at/.test(line.msg))).toBe(true);
    expect(consoleLines.every((line) => line.app === 'pult')).toBe(true);
    // The collector logs one line per request (method, url, status), never its headers.
    const collectorLines = parsedLines(collector.output());
    expect(collectorLines.some((line) => /request completed/.test(line.msg))).toBe(true);
    for (const text of [host.output(), collector.output()]) expect(text).not.toContain(token);
    // The journal has them: no second copy in files.
    expect(fs.existsSync(path.join(dataDir, 'logs'))).toBe(false);
  }, 60_000);

  it('without a journal are plain on the terminal and JSON lines in <data-dir>/logs/, never with the token', async () => {
    const { dir, dataDir, token, host, collector } = await syncRun({});
    expect(host.output()).toMatch(/^pult: console ready at/m);
    const consoleLines = parsedLines(fs.readFileSync(path.join(dataDir, 'logs', 'pult.log'), 'utf8'));
    expect(consoleLines.some((line) => /console ready at/.test(line.msg))).toBe(true);
    expect(consoleLines.every((line) => line.app === 'pult')).toBe(true);
    // The collector's go beside its SQLite file, one line per request.
    const collectorText = fs.readFileSync(path.join(dir, 'logs', 'pult.log'), 'utf8');
    expect(parsedLines(collectorText).some((line) => /request completed/.test(line.msg))).toBe(true);
    for (const text of [host.output(), collector.output(), collectorText, ...consoleLines.map((l) => JSON.stringify(l))])
      expect(text).not.toContain(token);
  }, 60_000);

  it('say a lost reply once, as a sync failure, and its batch sent again as one delivery of duplicates', async () => {
    const { lines } = await syncRun(JSON_LOGS, [{ kind: 'lost' }]);
    const failures = lines.filter((line) => line.msg === 'sync failure');
    expect(failures).toHaveLength(1);
    expect(failures[0]!.level).toBe(40); // warn
    const deliveries = lines.filter((line) => line.msg === 'batch delivered');
    expect(deliveries.filter((line) => (line.duplicate ?? 0) > 0)).toHaveLength(1);
    expect(deliveries.reduce((sum, line) => sum + (line.accepted ?? 0), 0)).toBeLessThan(20);
  }, 60_000);
});
