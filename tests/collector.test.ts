import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollector } from '../collector/server.js';
import { openPostgresStore } from '../collector/postgres-store.js';
import { openSqliteStore } from '../collector/sqlite-store.js';
import type { CollectorStore } from '../collector/store.js';
import { addDevice, tokenRegistry } from '../collector/tokens.js';
import { startCluster, type Cluster } from './support/postgres.js';
import { exportCollector } from '../cli/collector.js';

/** The reference collector's promises, checked on SQLite and on a real PostgreSQL cluster. */
const deviceId = crypto.randomUUID();
const device = { id: deviceId, office: 'mfc-1', window: 'w-5', appVersion: '0.1.0', bootId: crypto.randomUUID() };
const answer = (overrides: Record<string, unknown> = {}) => ({
  id: crypto.randomUUID(),
  seq: 1,
  responseId: crypto.randomUUID(),
  question: 'csi',
  value: 5,
  locale: 'ru',
  source: 'touch',
  flags: [],
  createdAt: Date.now(),
  monoMs: 1,
  bootId: device.bootId,
  ...overrides,
});
const batch = <A extends { id: unknown }>(answers: A[]) => ({
  schema: 1,
  device,
  batchId: crypto.randomUUID(),
  sentAt: Date.now(),
  answers,
});

describe('the collector and a client that trickles its request (slow-loris)', () => {
  it('cuts off requests that do not arrive within the timeout, and serves a console meanwhile', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pult-collector-'));
    const tokens = path.join(dir, 'tokens.json');
    const token = addDevice(tokens, deviceId);
    const store = openSqliteStore(path.join(dir, 'c.db'));
    const app = await createCollector({ store, tokens: tokenRegistry(tokens), requestTimeoutMs: 1_000 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as net.AddressInfo;
    const trickle = 'POST /v1/batches HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ';
    const sockets = Array.from({ length: 20 }, () => net.connect(port, '127.0.0.1'));
    const timers = sockets.map((socket, i) => {
      let sent = 0;
      // One byte every 100 ms, never finishing the headers: each stays "in progress" for ever.
      return setInterval(() => socket.writable && socket.write(trickle[sent++ % trickle.length]!), 100 + i);
    });
    const closedAt = sockets.map((socket) => new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now()))));
    sockets.forEach((socket) => socket.on('error', () => undefined));
    const started = Date.now();
    try {
      const body = JSON.stringify(batch([answer()]));
      const reply = await fetch(`http://127.0.0.1:${port}/v1/batches`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
      });
      expect(reply.status).toBe(200);
      const closed = await Promise.all(closedAt);
      // Cut off by the server within the timeout and its check interval, not held for ever.
      expect(Math.max(...closed) - started).toBeLessThan(5_000);
    } finally {
      timers.forEach(clearInterval);
      sockets.forEach((socket) => socket.destroy());
      await app.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 20_000);
});

describe('a collector database from an earlier version', () => {
  it('gets the columns for the newer heartbeat fields at start; what it held stays', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pult-collector-'));
    const file = path.join(dir, 'c.db');
    const old = new Database(file);
    old.exec(`CREATE TABLE devices (device_id BLOB PRIMARY KEY, office TEXT, window TEXT, app_version TEXT,
      last_heartbeat_at INTEGER, outbox_depth INTEGER, last_error TEXT, clock_offset_ms INTEGER, quarantine_count INTEGER) WITHOUT ROWID;
      INSERT INTO devices (device_id, office, outbox_depth) VALUES (x'00112233445566778899aabbccddeeff', 'mfc-0', 3);`);
    old.close();
    const store = openSqliteStore(file);
    try {
      expect(await store.devices()).toEqual([
        expect.objectContaining({ office: 'mfc-0', outboxDepth: 3, oldestUnsentAt: null, freeDiskBytes: null, boxes: [] }),
      ]);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each([['SQLite'], ['PostgreSQL']])('collector on %s', (name) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pult-collector-'));
  const tokens = path.join(dir, 'tokens.json');
  let cluster: Cluster | null = null;
  let stores: CollectorStore[] = [];
  let apps: FastifyInstance[] = [];
  let token = '';
  const open = async () => (cluster ? openPostgresStore(cluster.url) : openSqliteStore(path.join(dir, 'c.db')));

  beforeAll(async () => {
    if (name === 'PostgreSQL') cluster = await startCluster();
    token = addDevice(tokens, deviceId);
    // Two collectors on one database: nothing but the database is shared between them.
    stores = [await open(), await open()];
    apps = await Promise.all(stores.map((store) => createCollector({ store, tokens: tokenRegistry(tokens) })));
  }, 60_000);

  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const store of stores) await store.close();
    cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const post = (body: unknown, headers: Record<string, string> = {}, app = apps[0]!) =>
    app.inject({
      method: 'POST',
      url: '/v1/batches',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
    });
  const count = async () => {
    let n = 0;
    for await (const row of stores[0]!.exportRows()) if (row.deviceId === deviceId) n++;
    return n;
  };

  it('an unknown caller is refused before its body is read: no decompression, no parsing', async () => {
    // A gzip body that is not gzip would be a 400 if it were read; refused on the token alone it is a 401.
    const response = await post('not gzip at all', { authorization: 'Bearer nope', 'content-encoding': 'gzip' });
    expect(response.statusCode).toBe(401);
    expect((await post('not gzip at all', { 'content-encoding': 'gzip' })).statusCode).toBe(400);
  });

  it('a missing or unknown token is 401; a token for another device is 403; nothing is stored', async () => {
    const before = await count();
    expect((await post(batch([answer()]), { authorization: '' })).statusCode).toBe(401);
    expect((await post(batch([answer()]), { authorization: 'Bearer nope' })).statusCode).toBe(401);
    const other = addDevice(tokens, crypto.randomUUID());
    expect((await post(batch([answer()]), { authorization: `Bearer ${other}` })).statusCode).toBe(403);
    expect(await count()).toBe(before);
  });

  it("a heartbeat's backlog, its age, the quarantine and the free disk are kept and listed for the fleet", async () => {
    const beat = {
      schema: 1,
      device,
      sentAt: Date.now(),
      outboxDepth: 42,
      oldestUnsentAt: Date.now() - 3_600_000,
      lastAckAt: null,
      lastError: null,
      quarantineCount: 2,
      freeDiskBytes: 7_000_000_000,
      clockOffsetMs: 0,
      lastAnswerAt: Date.now() - 60_000,
      uptimeMs: 3_600_000,
      boxes: [{ id: 'box1', connected: false, lastPressAt: null, invalidFrames: 12 }],
    };
    const reply = await apps[0]!.inject({
      method: 'POST',
      url: '/v1/heartbeat',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      payload: JSON.stringify(beat),
    });
    expect(reply.statusCode).toBe(200);
    const listed = (await stores[1]!.devices()).find((row) => row.id === deviceId);
    expect(listed).toMatchObject({
      outboxDepth: 42,
      oldestUnsentAt: beat.oldestUnsentAt,
      quarantineCount: 2,
      freeDiskBytes: 7_000_000_000,
      lastAnswerAt: beat.lastAnswerAt,
      uptimeMs: 3_600_000,
      boxes: beat.boxes,
    });
  });

  it('one verdict per record: a bad record is rejected by name and field, the others are stored', async () => {
    const good = answer();
    const bad = answer({ value: 9 });
    const response = await post(batch([good, bad]));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      accepted: [good.id],
      duplicate: [],
      rejected: [{ id: bad.id, reason: expect.stringMatching(/answers\[1\]\.value/) }],
    });
    const again = await post(batch([good]));
    expect(again.json()).toMatchObject({ accepted: [], duplicate: [good.id] });
  });

  it('text the console refuses is refused per record: NUL, a lone surrogate, control characters', async () => {
    const good = answer();
    const reasons = { question: 'reasons', reasons: ['other'], value: undefined };
    const records = [
      answer({ ...reasons, comment: 'a\u0000b' }),
      answer({ ...reasons, comment: 'half \ud83d pair' }),
      answer({ ticket: 'A-1\u0007' }),
      answer({ operator: '\udc00' }),
      answer({ recoveredFrom: 'x\u0000' }),
    ];
    const multiline = answer({ ...reasons, comment: 'Долго ждал.\nОчень долго 👎' });
    // JSON.stringify writes a lone surrogate as \udXXX: exactly what a crafted client sends.
    const response = await post(batch([good, ...records, multiline]));
    expect(response.statusCode).toBe(200);
    const verdict = response.json() as { accepted: string[]; rejected: { id: string; reason: string }[] };
    expect(verdict.accepted.sort()).toEqual([good.id, multiline.id].sort());
    expect(verdict.rejected.map((r) => r.id)).toEqual(records.map((r) => r.id));
    expect(verdict.rejected[0]!.reason).toMatch(/answers\[1\]\.comment: control characters/);
    expect(verdict.rejected[1]!.reason).toMatch(/answers\[2\]\.comment: not well-formed Unicode/);
  });

  it('a clock offset beyond a century is refused (corrected times stay safe integers)', async () => {
    const century = 100 * 366 * 24 * 3_600_000;
    const far = await post({ ...batch([answer()]), clockOffsetMs: 9_000_000_000_000_000 });
    expect(far.statusCode).toBe(400);
    expect(far.json()).toMatchObject({ error: { code: 'invalid_batch', message: expect.stringMatching(/clockOffsetMs/) } });
    expect((await post({ ...batch([answer()]), clockOffsetMs: -century - 1 })).statusCode).toBe(400);
    const reset = answer({ createdAt: 0 }); // a console whose clock reset to 1970
    expect((await post({ ...batch([reset]), clockOffsetMs: Date.now() })).json()).toMatchObject({ accepted: [reset.id] });
  });

  it("one record the database itself cannot hold is rejected with the database's reason; the rest of the batch is stored", async () => {
    // Past the wire schema (as a future field might slip by it): the store must still not fail the batch.
    const good = [answer(), answer()];
    const poisoned = answer({ question: 'reasons', reasons: ['other'], value: undefined, comment: 'a\u0000b' });
    const verdict = await stores[0]!.ingest({
      device,
      batchId: crypto.randomUUID(),
      clockOffsetMs: undefined,
      answers: [good[0], poisoned, good[1]] as never,
      receivedAt: Date.now(),
    });
    if (name === 'SQLite') {
      expect(verdict.accepted.sort()).toEqual([...good, poisoned].map((a) => a.id).sort()); // SQLite can hold a NUL
      return;
    }
    expect(verdict.accepted.sort()).toEqual(good.map((a) => a.id).sort());
    expect(verdict.rejected).toEqual([
      { id: poisoned.id, reason: expect.stringMatching(/database refused this answer: unsupported Unicode escape/) },
    ]);
  });

  it('the same batch at the same moment on two collectors: one row, one accepted, one duplicate, never a 500', async () => {
    for (let round = 0; round < 5; round++) {
      const body = batch([answer(), answer()]);
      const replies = await Promise.all(apps.map((app) => post(body, { 'idempotency-key': body.batchId }, app)));
      expect(replies.map((reply) => reply.statusCode)).toEqual([200, 200]);
      const verdicts = replies.map((reply) => reply.json() as { accepted: string[]; duplicate: string[] });
      expect(verdicts.flatMap((v) => v.accepted).sort()).toEqual(body.answers.map((a) => a.id).sort());
      expect(verdicts.flatMap((v) => v.duplicate).sort()).toEqual(body.answers.map((a) => a.id).sort());
    }
  });

  it('keeps the raw device time, stores a corrected one, and flags impossible times', async () => {
    const now = Date.now();
    const skewed = answer({ createdAt: now - 60_000 });
    const future = answer({ createdAt: now + 86_400_000 });
    const ancient = answer({ createdAt: Date.UTC(2019, 0, 1) });
    const body = { ...batch([skewed, future, ancient]), clockOffsetMs: 30_000 };
    expect((await post(body)).json()).toMatchObject({ accepted: [skewed.id, future.id, ancient.id] });
    const rows = new Map<string, { correctedAt: number; timeFlag: string | null; createdAt: number }>();
    for await (const row of stores[0]!.exportRows())
      rows.set(row.answer.id, { correctedAt: row.correctedAt, timeFlag: row.timeFlag, createdAt: row.answer.createdAt });
    expect(rows.get(skewed.id)).toEqual({ createdAt: skewed.createdAt, correctedAt: skewed.createdAt + 30_000, timeFlag: null });
    expect(rows.get(future.id)?.timeFlag).toBe('future');
    expect(rows.get(ancient.id)?.timeFlag).toBe('ancient');
  });

  it('a body is capped after decompression: a gzip bomb is 413 and stores nothing', async () => {
    const before = await count();
    const bomb = zlib.gzipSync(
      Buffer.from(
        JSON.stringify(batch([answer({ comment: 'x'.repeat(10) })])).replace(
          '"answers"',
          `"pad":"${'0'.repeat(2_000_000)}","answers"`,
        ),
      ),
    );
    expect(bomb.length).toBeLessThan(20_000);
    const response = await post(bomb, { 'content-encoding': 'gzip' });
    expect(response.statusCode).toBe(413);
    expect(await count()).toBe(before);
    const gzipped = await post(zlib.gzipSync(JSON.stringify(batch([answer()]))), { 'content-encoding': 'gzip' });
    expect(gzipped.json()).toMatchObject({ accepted: [expect.any(String)] });
  });

  it('arbitrary bodies never crash it (no 5xx) and never store a partial record', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.json(), fc.string(), fc.constant('{"schema":1,"answers":[{"id":1}]}')), async (body) => {
        const before = await count();
        const response = await post(body);
        expect(response.statusCode).toBeLessThan(500);
        if (response.statusCode !== 200) expect(await count()).toBe(before);
      }),
      { numRuns: 60 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record({ value: fc.integer({ min: -3, max: 12 }), question: fc.constantFrom('csi', 'nps', 'mood') }),
        async (fields) => {
          const record = answer(fields);
          const verdict = (await post(batch([record]))).json() as { accepted: string[]; rejected: unknown[] };
          const valid =
            (fields.question === 'csi' && fields.value >= 1 && fields.value <= 5) ||
            (fields.question === 'nps' && fields.value >= 0 && fields.value <= 10);
          expect(verdict.accepted.length + verdict.rejected.length).toBe(1);
          expect(verdict.accepted.length === 1).toBe(valid);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('exports office and window with each answer, and --from/--to office days in each console’s own zone', async () => {
    // 1 June 2025: Moscow is UTC+3, Yekaterinburg UTC+5; this console says it is in Yekaterinburg.
    const at = (iso: string) => answer({ createdAt: Date.parse(iso) });
    const late = at('2025-05-31T19:30:00Z'); // 1 June 00:30 in Yekaterinburg, 31 May 22:30 in Moscow
    const inDay = at('2025-06-01T12:00:00Z');
    const after = at('2025-06-01T19:30:00Z'); // 2 June 00:30 in Yekaterinburg
    expect((await post(batch([late, inDay, after]))).statusCode).toBe(200);
    await apps[0]!.inject({
      method: 'POST',
      url: '/v1/heartbeat',
      headers: { authorization: `Bearer ${token}` },
      payload: {
        schema: 1,
        device,
        sentAt: Date.now(),
        outboxDepth: 0,
        oldestUnsentAt: null,
        lastAckAt: null,
        lastError: null,
        quarantineCount: 0,
        freeDiskBytes: null,
        clockOffsetMs: 0,
        office: { timeZone: 'Asia/Yekaterinburg', days: [1, 2, 3, 4, 5, 6, 7], from: '08:00', to: '20:00' },
      },
    });
    const out = path.join(dir, `export-${name}.jsonl`);
    await exportCollector(cluster ? cluster.url : path.join(dir, 'c.db'), 'jsonl', out, {
      from: '2025-06-01',
      to: '2025-06-01',
      timeZone: 'Europe/Moscow',
    });
    const rows = fs
      .readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; office: string; window: string });
    expect(rows.map((row) => row.id).sort()).toEqual([late.id, inDay.id].sort());
    expect(rows.every((row) => row.office === 'mfc-1' && row.window === 'w-5')).toBe(true);
  });
});
