import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { DEMO_CONFIG } from '../../shared/config.js';
import { createCollector } from '../../collector/server.js';
import { openPostgresStore } from '../../collector/postgres-store.js';
import { openSqliteStore } from '../../collector/sqlite-store.js';
import type { CollectorStore } from '../../collector/store.js';
import { addDevice, tokenRegistry } from '../../collector/tokens.js';
import { startFaultProxy, type Fault, type FaultProxy } from '../support/fault-proxy.js';
import { startHost, stopProcess, type RunningHost } from '../support/host-process.js';
import { postgresAvailable, startCluster, type Cluster } from '../support/postgres.js';
import { useTempDirs } from '../support/temp-dir.js';
import { httpCall, QUICK_CONSOLE, tap } from '../support/press.js';

/**
 * Exactly once, through every fault: a real console process (`pult serve` with a sync config)
 * uploads through a fault proxy to a real collector; afterwards the collector holds exactly the
 * answers the console acknowledged — none missing, none twice. Run against SQLite and PostgreSQL.
 */
const tempDir = useTempDirs();

const call = async (host: RunningHost, method: string, body: unknown = {}) => {
  const response = await fetch(`${host.url}api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { ok: boolean; value: Record<string, unknown> };
};

/** Presses `value` on the console's screen and returns the id of the answer it stored. */
const answer = async (host: RunningHost, value: number): Promise<string> => (await tap(httpCall(host.url), value)).answer!.id;

interface Rig {
  store: CollectorStore;
  collector: FastifyInstance;
  proxy: FaultProxy;
  tokens: string;
}

/** A console registered with the collector: its device id read from a first start, then a token made for it. */
async function registeredConsole(rig: Rig, sync: Record<string, unknown> = {}) {
  const dir = tempDir();
  const dataDir = path.join(dir, 'data');
  const first = await startHost(['--data-dir', dataDir]);
  const deviceId = (await call(first, 'getStatus')).value.deviceId as string;
  await first.stop();
  const token = addDevice(rig.tokens, deviceId);
  fs.writeFileSync(path.join(dir, 'token'), token);
  const config = path.join(dir, 'console.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      ...DEMO_CONFIG,
      ...QUICK_CONSOLE,
      sync: { endpoint: rig.proxy.url, tokenFile: 'token', intervalMs: 200, timeoutMs: 1_500, ...sync },
    }),
  );
  const start = () => startHost(['--config', config, '--data-dir', dataDir]);
  return { deviceId, token, start };
}

async function collected(store: CollectorStore, deviceId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const row of store.exportRows()) if (row.deviceId === deviceId) ids.push(row.answer.id);
  return ids.sort();
}

async function drained(host: RunningHost) {
  await vi.waitFor(
    async () => {
      const status = (await call(host, 'getSyncStatus')).value;
      expect(status).toMatchObject({ outboxDepth: 0, quarantineCount: 0 });
    },
    { timeout: 40_000, interval: 100 },
  );
}

const STORES = [
  ['SQLite', async (dir: string) => ({ store: openSqliteStore(path.join(dir, 'collector.db')), stop: () => {} })],
  [
    'PostgreSQL',
    async (_dir: string) => {
      const cluster: Cluster = await startCluster();
      return { store: await openPostgresStore(cluster.url), stop: () => cluster.stop() };
    },
  ],
] as const;

describe.each(STORES)('sync to a collector on %s: exactly once through every fault', (name, open) => {
  const rig = {} as Rig;
  let stopStore = () => {};
  // The collector's files outlive each test (tempDir() is emptied after every one).
  const rigDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pult-collector-'));

  beforeAll(async () => {
    if (name === 'PostgreSQL' && !postgresAvailable())
      throw new Error('PostgreSQL is not installed: run .ci/run or apt-get install postgresql');
    const opened = await open(rigDir);
    rig.store = opened.store;
    stopStore = opened.stop;
    rig.tokens = path.join(rigDir, 'tokens.json');
    rig.collector = await createCollector({ store: rig.store, tokens: tokenRegistry(rig.tokens) });
    await rig.collector.listen({ port: 0, host: '127.0.0.1' });
    const { port } = rig.collector.server.address() as { port: number };
    rig.proxy = await startFaultProxy(`http://127.0.0.1:${port}/`);
  }, 60_000);

  afterAll(async () => {
    await rig.proxy?.close();
    await rig.collector?.close();
    await rig.store?.close();
    stopStore();
    fs.rmSync(rigDir, { recursive: true, force: true });
  });

  const scenarios: [string, () => Fault[]][] = [
    ['the collector down for a while', () => [{ kind: 'down' }, { kind: 'down' }, { kind: 'down' }]],
    ['every 5xx', () => [500, 502, 503].map((status) => ({ kind: 'status', status }))],
    ['429 with Retry-After in seconds', () => [{ kind: 'status', status: 429, headers: { 'retry-after': '1' } }]],
    [
      '429 with Retry-After as an HTTP date',
      () => [{ kind: 'status', status: 429, headers: { 'retry-after': new Date(Date.now() + 1_000).toUTCString() } }],
    ],
    ['replies slower than the client waits', () => [{ kind: 'slow', delayMs: 2_500 }]],
    ['the connection reset mid-request', () => [{ kind: 'reset' }, { kind: 'reset' }]],
    ['the reply lost after the collector committed', () => [{ kind: 'lost' }, { kind: 'lost' }]],
  ];

  it.each(scenarios)(
    '%s',
    async (_fault, faults) => {
      const console = await registeredConsole(rig);
      const host = await console.start();
      try {
        rig.proxy.plan(faults());
        const acknowledged: string[] = [];
        for (let i = 0; i < 30; i++) acknowledged.push(await answer(host, 1 + (i % 5)));
        await drained(host);
        expect(await collected(rig.store, console.deviceId)).toEqual(acknowledged.sort());
      } finally {
        await host.stop();
      }
    },
    60_000,
  );

  it('the console killed (SIGKILL) during an upload, then restarted', async () => {
    const console = await registeredConsole(rig);
    let host = await console.start();
    const acknowledged: string[] = [];
    rig.proxy.plan(Array.from({ length: 3 }, () => ({ kind: 'slow', delayMs: 300 }) as const));
    const before = rig.proxy.batches();
    for (let i = 0; i < 600; i++) acknowledged.push(await answer(host, 1 + (i % 5)));
    await vi.waitFor(() => expect(rig.proxy.batches()).toBeGreaterThan(before), { timeout: 10_000, interval: 20 });
    await stopProcess(host.child, 'SIGKILL');
    host = await console.start();
    try {
      await drained(host);
      expect(await collected(rig.store, console.deviceId)).toEqual(acknowledged.sort());
    } finally {
      await host.stop();
    }
  }, 90_000);

  it('an unknown token is refused (401): nothing is lost, the console says it is not authorised', async () => {
    const console = await registeredConsole(rig);
    fs.writeFileSync(rig.tokens, JSON.stringify({ devices: {}, admins: [] }));
    const host = await console.start();
    try {
      await answer(host, 5);
      await vi.waitFor(
        async () => expect((await call(host, 'getSyncStatus')).value).toMatchObject({ authorised: false, outboxDepth: 1 }),
        {
          timeout: 10_000,
          interval: 100,
        },
      );
      // The token appears nowhere: not in the status, not in what the console printed.
      expect(JSON.stringify((await call(host, 'getSyncStatus')).value)).not.toContain(console.token);
      expect(host.output()).not.toContain(console.token);
    } finally {
      await host.stop();
    }
  }, 30_000);
});
