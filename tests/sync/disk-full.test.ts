import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openSqliteStore } from '../../collector/sqlite-store.js';
import { startCollectorProcess } from '../support/collector-process.js';
import { type RunningHost } from '../support/host-process.js';
import { httpCall, tap } from '../support/press.js';
import { registeredConsole } from '../support/registered-console.js';
import { useTempDirs } from '../support/temp-dir.js';
import { canMountTmpfs, mountTmpfs, type Tmpfs } from '../support/tmpfs.js';

/**
 * The console's disk fills up while a batch is in flight: the collector's verdict comes back and
 * cannot be saved (SQLITE_FULL). The uploader must treat that like a network failure — report it,
 * back off, try again — and drain the outbox once there is room again, every answer exactly once.
 * Real processes: a collector paused with SIGSTOP, a console whose data directory is a 2 MiB tmpfs.
 */
const tempDir = useTempDirs();
let disk: Tmpfs | null = null;
afterEach(() => {
  disk?.unmount();
  disk = null;
});

const syncStatus = async (host: RunningHost) => {
  const reply = await httpCall(host.url)('getSyncStatus', {});
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.value as { outboxDepth: number; lastError: string | null; retryAt: number | null };
};

describe.skipIf(!canMountTmpfs() && !process.env.CI)('a full disk on the console', () => {
  it('a verdict that cannot be saved is asked for again; the outbox drains when there is room', async () => {
    const dir = tempDir();
    disk = mountTmpfs('2m');
    const dataDir = path.join(disk.dir, 'data');
    const tokens = path.join(dir, 'tokens.json');
    const db = path.join(dir, 'collector.db');
    const collector = await startCollectorProcess(['--db', db, '--tokens', tokens]);
    let host: RunningHost | null = null;
    try {
      const console = await registeredConsole({ dir, dataDir, tokens, endpoint: collector.url, sync: { timeoutMs: 60_000 } });
      host = await console.start();
      const call = httpCall(host.url);
      const acknowledged: string[] = [];
      for (let i = 0; i < 5; i++) acknowledged.push((await tap(call, 5)).answer!.id);
      await vi.waitFor(async () => expect((await syncStatus(host!)).outboxDepth).toBe(0), { timeout: 20_000, interval: 100 });

      // A batch goes out to a collector that does not answer yet.
      collector.child.kill('SIGSTOP');
      for (let i = 0; i < 3; i++) acknowledged.push((await tap(call, 4)).answer!.id);
      const reader = new Database(path.join(dataDir, 'pult.sqlite'), { readonly: true });
      const inBatch = reader.prepare('SELECT count(*) FROM outbox WHERE batch_id IS NOT NULL').pluck();
      await vi.waitFor(() => expect(inBatch.get()).toBeGreaterThan(0), { timeout: 10_000, interval: 20 });
      reader.close();

      // The disk fills; the verdict arrives and cannot be written.
      const filler = disk.fill();
      collector.child.kill('SIGCONT');
      await vi.waitFor(async () => expect((await syncStatus(host!)).lastError).toMatch(/disk is full/), {
        timeout: 20_000,
        interval: 50,
      });
      await vi.waitFor(async () => expect((await syncStatus(host!)).retryAt).not.toBeNull(), { timeout: 5_000, interval: 50 });

      // Room again: new taps are stored and everything drains without a restart.
      fs.rmSync(filler);
      for (let i = 0; i < 2; i++) acknowledged.push((await tap(call, 3)).answer!.id);
      await vi.waitFor(async () => expect(await syncStatus(host!)).toMatchObject({ outboxDepth: 0, lastError: null }), {
        timeout: 30_000,
        interval: 100,
      });
      await host.stop();
      await collector.stop();
      const store = openSqliteStore(db);
      const collected: string[] = [];
      for await (const row of store.exportRows()) collected.push(row.answer.id);
      await store.close();
      expect(collected.sort()).toEqual(acknowledged.sort());
    } finally {
      collector.child.kill('SIGCONT');
      await host?.stop();
      await collector.stop();
    }
  }, 90_000);
});
