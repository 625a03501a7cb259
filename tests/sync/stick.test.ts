import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DEMO_CONFIG } from '../../shared/config.js';
import { startCollectorProcess } from '../support/collector-process.js';
import { runPult, startHost } from '../support/host-process.js';
import { httpCall, QUICK_CONSOLE, tap } from '../support/press.js';
import { registeredConsole } from '../support/registered-console.js';
import { useTempDirs } from '../support/temp-dir.js';

/**
 * An office with no network: its unsent answers go to the collector on a USB stick, exactly once —
 * imported twice, or imported and later synced online, never a row twice. Real processes: the
 * console, the `pult` command beside it, the collector on the same SQLite file.
 */
const tempDir = useTempDirs();

const collectorRows = async (db: string) => {
  const out = await runPult(['collector', 'export', '--db', db, '--format', 'jsonl']);
  return out.stdout.trim() === '' ? [] : out.stdout.trim().split('\n');
};

describe('answers on a stick', () => {
  it('are stored once however often they arrive, by stick or online, and a damaged stick stores nothing', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'c.db');
    const tokens = path.join(dir, 'tokens.json');
    const dataDir = path.join(dir, 'data');
    const collector = await startCollectorProcess(['--db', db, '--tokens', tokens]);
    const registered = await registeredConsole({ dir, dataDir, tokens, endpoint: collector.url });
    await collector.stop(); // the office has no network

    // Offline: five taps, then the stick is written beside the running console.
    const offline = path.join(dir, 'offline.json');
    fs.writeFileSync(offline, JSON.stringify({ ...DEMO_CONFIG, ...QUICK_CONSOLE }));
    const host = await startHost(['--config', offline, '--data-dir', dataDir]);
    for (let value = 1; value <= 5; value++) await tap(httpCall(host.url), value);
    const stick = path.join(dir, 'stick.json');
    const bundled = await runPult(['export', '--bundle', stick, '--data-dir', dataDir, '--config', offline]);
    expect(bundled).toMatchObject({ code: 0 });
    expect(bundled.stdout).toContain('5 unsent answers (seq 1–5) written to');
    await host.stop();

    // A damaged copy is refused whole: a changed answer, a cut-off file.
    const changed = path.join(dir, 'changed.json');
    fs.writeFileSync(changed, fs.readFileSync(stick, 'utf8').replace('"value":4', '"value":3'));
    const cut = path.join(dir, 'cut.json');
    fs.writeFileSync(cut, fs.readFileSync(stick, 'utf8').slice(0, 300));
    for (const [file, reason] of [
      [changed, 'do not match its checksum'],
      [cut, 'not a readable bundle'],
    ] as const) {
      const refused = await runPult(['collector', 'import', file, '--db', db]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(reason);
      expect(refused.stderr).toContain('nothing was stored');
    }
    expect(await collectorRows(db)).toEqual([]);

    // Imported twice: five rows.
    const first = await runPult(['collector', 'import', stick, '--db', db]);
    expect(first.stdout).toContain(`5 answers of device ${registered.deviceId} stored, 0 were there already`);
    const again = await runPult(['collector', 'import', stick, '--db', db]);
    expect(again.stdout).toContain('0 answers of device');
    expect(again.stdout).toContain('5 were there already');
    expect(await collectorRows(db)).toHaveLength(5);

    // The network comes back: the console sends its outbox, learns they arrived (duplicates), and drains.
    const online = await startCollectorProcess(['--db', db, '--tokens', tokens, '--port', new URL(collector.url).port]);
    const synced = await registered.start();
    try {
      await tap(httpCall(synced.url), 5);
      await vi.waitFor(
        async () => {
          const status = await httpCall(synced.url)('getStatus', {});
          expect((status as { value: { outboxPending: number } }).value.outboxPending).toBe(0);
        },
        { timeout: 20_000, interval: 200 },
      );
    } finally {
      await synced.stop();
      await online.stop();
    }
    const rows = (await collectorRows(db)).map((line) => JSON.parse(line) as { id: string });
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((row) => row.id)).size).toBe(6);
  }, 60_000);

  it('a console with nothing unsent says so and writes no file', async () => {
    const dir = tempDir();
    const dataDir = path.join(dir, 'data');
    const first = await startHost(['--data-dir', dataDir]);
    await first.stop();
    const stick = path.join(dir, 'stick.json');
    const bundled = await runPult(['export', '--bundle', stick, '--data-dir', dataDir]);
    expect(bundled).toMatchObject({ code: 0 });
    expect(bundled.stdout).toContain('nothing to carry');
    expect(fs.existsSync(stick)).toBe(false);
  });
});
