import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { watchAlerts, type AlertChange } from '../collector/alerts.js';
import { openPostgresStore } from '../collector/postgres-store.js';
import { openSqliteStore } from '../collector/sqlite-store.js';
import { StoreFromTheFutureError, type CollectorStore } from '../collector/store.js';
import type { Heartbeat } from '../shared/wire.js';
import { startCluster, type Cluster } from './support/postgres.js';

/**
 * Alerts are raised once and cleared once even with two collectors on one database, and every
 * change reaches the webhook (a real HTTP server on 127.0.0.1) — on SQLite and a real PostgreSQL.
 */
const thresholds = { lateAfterMs: 3_000, offlineAfterMs: 6_000 };
const heartbeat = (deviceId: string, facts: Partial<Heartbeat> = {}): Heartbeat => ({
  schema: 1,
  device: { id: deviceId, office: 'mfc-1', window: 'w-1', appVersion: '0.1.0', bootId: crypto.randomUUID() },
  sentAt: Date.now(),
  outboxDepth: 0,
  oldestUnsentAt: null,
  lastAckAt: null,
  lastError: null,
  quarantineCount: 0,
  freeDiskBytes: 1e9,
  clockOffsetMs: 0,
  // Open round the clock: the test runs at any hour.
  office: { timeZone: 'Europe/Moscow', days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '23:59' },
  ...facts,
});

/** A webhook receiver that fails its first call (the collector must try again). */
async function webhookReceiver() {
  const received: AlertChange[] = [];
  let calls = 0;
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (++calls === 1) return void response.writeHead(503).end();
      received.push(JSON.parse(body) as AlertChange);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each([['SQLite'], ['PostgreSQL']])('fleet alerts on %s', (name) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pult-alerts-'));
  let cluster: Cluster | null = null;
  const open = async (): Promise<CollectorStore> =>
    cluster ? openPostgresStore(cluster.url) : openSqliteStore(path.join(dir, 'c.db'));
  beforeAll(async () => {
    if (name === 'PostgreSQL') cluster = await startCluster();
  }, 60_000);
  afterAll(() => {
    cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('two collectors raise each alert once and clear it once; the webhook hears both, after a failed try', async () => {
    const stores = [await open(), await open()];
    const hook = await webhookReceiver();
    let now = Date.now();
    const watches = stores.map((store) =>
      watchAlerts({ store, thresholds, now: () => now, everyMs: 60_000, webhook: { url: hook.url }, onError: () => undefined }),
    );
    const deviceId = crypto.randomUUID();
    const box = { id: 'box1', connected: false, lastPressAt: null, invalidFrames: 0 };
    try {
      await stores[0]!.heartbeat(heartbeat(deviceId, { clockOffsetMs: 300_000, boxes: [box] }), now);
      for (const watch of watches) await watch.evaluate();
      // The clock alert at once; the box only after it has been away 5 minutes.
      let open = await stores[1]!.openAlerts();
      expect(open.filter((row) => row.raisedAt !== null).map((row) => row.kind)).toEqual(['clock_offset']);
      now += 5 * 60_000;
      await stores[1]!.heartbeat(heartbeat(deviceId, { clockOffsetMs: 300_000, boxes: [box] }), now);
      for (const watch of watches) await watch.evaluate();
      open = await stores[0]!.openAlerts();
      expect(
        open
          .filter((row) => row.raisedAt !== null)
          .map((row) => row.kind)
          .sort(),
      ).toEqual(['box_disconnected', 'clock_offset']);

      // The console falls silent: offline (the office is open); its box is no longer news.
      now += thresholds.offlineAfterMs;
      for (const watch of watches) await watch.evaluate();
      open = await stores[0]!.openAlerts();
      expect(open.map((row) => row.kind).sort()).toEqual(['clock_offset', 'offline']);

      // It comes back with its clock right: every alert clears by itself.
      await stores[0]!.heartbeat(heartbeat(deviceId, { boxes: [{ ...box, connected: true }] }), now);
      for (const watch of watches) await watch.evaluate();
      expect(await stores[0]!.openAlerts()).toEqual([]);

      await vi.waitFor(() => expect(hook.received).toHaveLength(6), { timeout: 15_000, interval: 100 });
      const events = hook.received.map((change) => `${change.event} ${change.alert.kind}`);
      expect(events.slice(0, 3)).toEqual(['raised clock_offset', 'raised box_disconnected', 'raised offline']);
      expect(events.slice(3).sort()).toEqual(['cleared box_disconnected', 'cleared clock_offset', 'cleared offline']);
      expect(hook.received.every((change) => change.alert.deviceId === deviceId)).toBe(true);
    } finally {
      for (const watch of watches) await watch.stop();
      for (const store of stores) await store.close();
      await hook.close();
    }
  }, 40_000);
});

describe('a collector database from a newer collector', () => {
  it('is refused at start by its version, and left as it was', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pult-future-'));
    const file = path.join(dir, 'c.db');
    try {
      (await Promise.resolve(openSqliteStore(file))).close();
      const db = new Database(file);
      db.pragma('user_version = 99');
      db.close();
      const before = fs.readFileSync(file);
      expect(() => openSqliteStore(file)).toThrow(StoreFromTheFutureError);
      expect(() => openSqliteStore(file)).toThrow(/schema version 99, newer than this collector knows/);
      expect(fs.readFileSync(file).equals(before)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('on PostgreSQL too', async () => {
    const cluster = await startCluster();
    try {
      await (await openPostgresStore(cluster.url)).close();
      const pg = await import('pg');
      const client = new pg.default.Client({ connectionString: cluster.url });
      await client.connect();
      await client.query('UPDATE collector_schema SET version = 99');
      await client.end();
      await expect(openPostgresStore(cluster.url)).rejects.toThrow(StoreFromTheFutureError);
    } finally {
      cluster.stop();
    }
  }, 60_000);
});
