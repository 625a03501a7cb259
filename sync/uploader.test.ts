import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { BatchVerdict } from '../shared/wire.js';
import { backoffMs, retryAfterMs } from './backoff.js';
import { createUploader, jittered, type OutboxPort, type UploaderStatus } from './uploader.js';

/** An outbox in memory with the same rules as the console's: a batch keeps its id and content until settled or dissolved. */
function memoryOutbox(ids: string[]) {
  const pending = new Set(ids);
  const inBatch = new Map<string, string[]>();
  const delivered: string[] = [];
  const quarantined: string[] = [];
  let n = 0;
  const port: OutboxPort = {
    async next(max) {
      const open = [...inBatch.entries()][0];
      if (open) return { batchId: open[0], body: JSON.stringify(open[1]), answers: open[1].length };
      const taken = [...pending].slice(0, max);
      if (taken.length === 0) return null;
      taken.forEach((id) => pending.delete(id));
      const batchId = `b${++n}`;
      inBatch.set(batchId, taken);
      return { batchId, body: JSON.stringify(taken), answers: taken.length };
    },
    async settle(batchId, verdict) {
      const ids = inBatch.get(batchId)!;
      inBatch.delete(batchId);
      const done = new Set([...verdict.accepted, ...verdict.duplicate]);
      delivered.push(...ids.filter((id) => done.has(id)));
      ids.filter((id) => !done.has(id)).forEach((id) => pending.add(id));
    },
    async quarantine(batchId) {
      quarantined.push(...inBatch.get(batchId)!);
      inBatch.delete(batchId);
    },
    async dissolve(batchId) {
      inBatch.get(batchId)!.forEach((id) => pending.add(id));
      inBatch.delete(batchId);
    },
    heartbeat: async () => ({
      outboxDepth: pending.size,
      oldestUnsentAt: null,
      quarantineCount: quarantined.length,
      freeDiskBytes: null,
    }),
  };
  return { port, delivered, quarantined, empty: () => pending.size === 0 && inBatch.size === 0 };
}

/** A strict collector: any bad record fails the whole batch with 400 (as another implementation might). */
const strictCollector =
  (bad: Set<string>): typeof fetch =>
  async (url, init) => {
    if (String(url).endsWith('/v1/heartbeat')) return new Response('{"serverTime":0}');
    const ids = JSON.parse(String(init?.body)) as string[];
    if (ids.some((id) => bad.has(id)))
      return new Response('{"error":{"code":"invalid","message":"bad record"}}', { status: 400 });
    const verdict: BatchVerdict = { accepted: ids, duplicate: [], rejected: [], serverTime: Date.now() };
    return new Response(JSON.stringify(verdict));
  };

const device = {
  id: '00000000-0000-7000-8000-000000000001',
  office: 'o',
  window: 'w',
  appVersion: '0.1.0',
  bootId: '00000000-0000-7000-8000-000000000002',
};

/** Runs an uploader against `collector` until the outbox is empty. */
async function drainAll(outbox: ReturnType<typeof memoryOutbox>, collector: typeof fetch) {
  const uploader = createUploader({
    endpoint: 'http://collector.test/',
    token: 't'.repeat(20),
    device,
    outbox: outbox.port,
    fetch: collector,
    now: Date.now,
    intervalMs: 60_000,
    timeoutMs: 1_000,
  });
  uploader.start();
  while (!outbox.empty()) await new Promise((resolve) => setImmediate(resolve));
  uploader.stop();
}

describe('uploader', () => {
  it('splitting on 400 isolates exactly the bad records; every good one is delivered', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_200 }), fc.array(fc.nat(), { maxLength: 6 }), async (count, picks) => {
        const ids = Array.from({ length: count }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
        const bad = new Set(picks.map((pick) => ids[pick % count]!));
        const outbox = memoryOutbox(ids);
        await drainAll(outbox, strictCollector(bad));
        expect(new Set(outbox.quarantined)).toEqual(bad);
        expect(outbox.delivered.sort()).toEqual(ids.filter((id) => !bad.has(id)).sort());
      }),
      { numRuns: 40 },
    );
  });

  it('413 halves the batch until it fits; everything is delivered, nothing quarantined', async () => {
    const ids = Array.from({ length: 777 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const outbox = memoryOutbox(ids);
    const sizes: number[] = [];
    const smallOnly: typeof fetch = async (url, init) => {
      if (String(url).endsWith('/v1/heartbeat')) return new Response('{"serverTime":0}');
      const batch = JSON.parse(String(init?.body)) as string[];
      sizes.push(batch.length);
      if (batch.length > 60) return new Response('{"error":{"code":"too_large","message":"too large"}}', { status: 413 });
      return new Response(JSON.stringify({ accepted: batch, duplicate: [], rejected: [], serverTime: Date.now() }));
    };
    await drainAll(outbox, smallOnly);
    expect(outbox.quarantined).toEqual([]);
    expect(outbox.delivered.sort()).toEqual([...ids].sort());
    expect(sizes.slice(0, 4)).toEqual([500, 250, 125, 62]);
  });

  it('a database failure (disk full) while settling a verdict is retried with backoff, not the end of uploading', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const outbox = memoryOutbox(ids);
    const settle = outbox.port.settle;
    let full = 2;
    outbox.port.settle = async (...args) => {
      if (full-- > 0) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      return settle(...args);
    };
    const next = outbox.port.next;
    let unreadable = 1;
    outbox.port.next = async (...args) => {
      if (unreadable-- > 0) throw new Error('disk I/O error');
      return next(...args);
    };
    const seen: UploaderStatus[] = [];
    const posted: string[] = [];
    const collector: typeof fetch = async (url, init) => {
      if (String(url).endsWith('/v1/heartbeat')) return new Response('{"serverTime":0}');
      const batch = JSON.parse(String(init?.body)) as string[];
      posted.push(...batch);
      return new Response(JSON.stringify({ accepted: batch, duplicate: [], rejected: [], serverTime: Date.now() }));
    };
    const uploader = createUploader({
      endpoint: 'http://collector.test/',
      token: 't'.repeat(20),
      device,
      outbox: outbox.port,
      fetch: collector,
      now: Date.now,
      intervalMs: 60_000,
      timeoutMs: 1_000,
      random: () => 0,
      onStatus: (status) => seen.push(status),
    });
    uploader.start();
    await vi.waitFor(() => expect(outbox.empty()).toBe(true), { timeout: 10_000, interval: 20 });
    uploader.stop();
    expect(outbox.delivered.sort()).toEqual([...ids].sort());
    // The same batch was sent again after each verdict that could not be saved.
    expect(posted.length).toBe(3 * ids.length);
    // Each failure was reported with the time of its retry.
    const retries = seen.filter((status) => status.lastError?.includes('could not use its database') && status.retryAt !== null);
    expect(retries.length).toBe(3);
    expect(seen.at(-1)).toMatchObject({ lastError: null, retryAt: null });
  });

  it('a heartbeat the collector did not take is sent again soon, not a whole period later', async () => {
    const beats: number[] = [];
    const collector: typeof fetch = async (url) => {
      if (!String(url).endsWith('/v1/heartbeat')) return new Response('{}', { status: 500 });
      beats.push(Date.now());
      return beats.length < 3
        ? new Response('{"error":{"code":"x","message":"starting"}}', { status: 503 })
        : new Response('{"serverTime":0}');
    };
    const uploader = createUploader({
      endpoint: 'http://collector.test/',
      token: 't'.repeat(20),
      device,
      outbox: memoryOutbox([]).port,
      fetch: collector,
      now: Date.now,
      intervalMs: 60_000,
      timeoutMs: 1_000,
      heartbeatMs: 60_000,
      random: () => 0,
    });
    uploader.start();
    try {
      await vi.waitFor(() => expect(beats.length).toBe(3), { timeout: 10_000, interval: 20 });
    } finally {
      uploader.stop();
    }
  });

  it('backs off 1 s × 1.6 with ±20 % jitter, capped at 120 s, and never stops', () => {
    expect(backoffMs(1, () => 0.5)).toBe(1_000);
    expect(backoffMs(2, () => 0.5)).toBe(1_600);
    expect(backoffMs(3, () => 0)).toBe(Math.round(2_560 * 0.8));
    expect(backoffMs(3, () => 1)).toBe(Math.round(2_560 * 1.2));
    expect(backoffMs(50, () => 1)).toBe(120_000);
    expect(backoffMs(10_000, () => 0.5)).toBe(120_000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.UTC(2026, 10, 26, 8, 0, 0);
    expect(retryAfterMs('7', now)).toBe(7_000);
    expect(retryAfterMs('Thu, 26 Nov 2026 08:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Thu, 26 Nov 2026 07:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });
});

describe('the heartbeat period', () => {
  it('is spread ±20 % so consoles started together do not beat in step', () => {
    expect([jittered(60_000, () => 0), jittered(60_000, () => 0.5), jittered(60_000, () => 0.999999)]).toEqual([
      48_000, 60_000, 72_000,
    ]);
  });
});
