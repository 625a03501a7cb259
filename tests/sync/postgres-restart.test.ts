import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openPostgresStore } from '../../collector/postgres-store.js';
import { startCollectorProcess } from '../support/collector-process.js';
import { type RunningHost } from '../support/host-process.js';
import { postgresAvailable, startCluster, type Cluster } from '../support/postgres.js';
import { httpCall, tap } from '../support/press.js';
import { registeredConsole } from '../support/registered-console.js';
import { useTempDirs } from '../support/temp-dir.js';

/**
 * PostgreSQL restarts (a crash, a failover) while a console uploads: the collector process stays
 * up, answers 503 with Retry-After while its database is away, reconnects by itself, and in the
 * end holds every acknowledged answer exactly once. Real processes, a real cluster, three restarts.
 */
const tempDir = useTempDirs();
let cluster: Cluster;

beforeAll(async () => {
  if (!postgresAvailable()) throw new Error('PostgreSQL is not installed: run .ci/run or apt-get install postgresql');
  cluster = await startCluster();
}, 60_000);
afterAll(() => cluster?.stop());

const syncStatus = async (host: RunningHost) => {
  const reply = await httpCall(host.url)('getSyncStatus', {});
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.value as { outboxDepth: number; lastError: string | null };
};

describe('the PostgreSQL collector through database restarts', () => {
  it('stays up, answers 503 while the database is away, and ends with every answer once', async () => {
    const dir = tempDir();
    const tokens = path.join(dir, 'tokens.json');
    const collector = await startCollectorProcess(['--db', cluster.url, '--tokens', tokens]);
    const console = await registeredConsole({ dir, dataDir: path.join(dir, 'data'), tokens, endpoint: collector.url });
    const host = await console.start();
    try {
      const call = httpCall(host.url);
      const acknowledged: string[] = [];
      for (let restart = 0; restart < 3; restart++) {
        for (let i = 0; i < 10; i++) acknowledged.push((await tap(call, 1 + (i % 5))).answer!.id);
        cluster.crash();
        for (let i = 0; i < 10; i++) acknowledged.push((await tap(call, 1 + (i % 5))).answer!.id);
        await vi.waitFor(async () => expect((await syncStatus(host)).lastError).toMatch(/HTTP 503/), {
          timeout: 20_000,
          interval: 50,
        });
        expect(collector.child.exitCode).toBeNull();
        cluster.restart();
      }
      await vi.waitFor(async () => expect(await syncStatus(host)).toMatchObject({ outboxDepth: 0, lastError: null }), {
        timeout: 40_000,
        interval: 100,
      });
      expect(collector.child.exitCode).toBeNull();
      const store = await openPostgresStore(cluster.url);
      const collected: string[] = [];
      for await (const row of store.exportRows()) if (row.deviceId === console.deviceId) collected.push(row.answer.id);
      await store.close();
      expect(collected.sort()).toEqual(acknowledged.sort());
    } finally {
      await host.stop();
      await collector.stop();
    }
  }, 120_000);
});
