import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { addAdmin } from '../../collector/tokens.js';
import { startCollectorProcess } from '../support/collector-process.js';
import { registeredConsole } from '../support/registered-console.js';
import { useTempDirs } from '../support/temp-dir.js';
import { httpCall, tap } from '../support/press.js';

/**
 * IT staff register a console and expect to see it on the collector as soon as it starts — not a
 * heartbeat period (60 s) later. Real processes; the console starts before the collector is up
 * (a terminal that boots faster than the central server), so its first heartbeat cannot arrive.
 */
const tempDir = useTempDirs();

describe('the first heartbeat', () => {
  it('a console that started before its collector is listed within seconds of the collector coming up', async () => {
    const dir = tempDir();
    const tokens = path.join(dir, 'tokens.json');
    const admin = addAdmin(tokens);
    // The collector's address is known, but nothing listens there yet.
    const placeholder = await startCollectorProcess(['--db', path.join(dir, 'c.db'), '--tokens', tokens]);
    const endpoint = placeholder.url;
    await placeholder.stop();
    const console = await registeredConsole({ dir, dataDir: path.join(dir, 'data'), tokens, endpoint });
    const host = await console.start();
    const port = new URL(endpoint).port;
    const collector = await startCollectorProcess(['--db', path.join(dir, 'c.db'), '--tokens', tokens, '--port', port]);
    try {
      await vi.waitFor(
        async () => {
          const reply = await fetch(new URL('v1/devices', collector.url), { headers: { authorization: `Bearer ${admin}` } });
          const { devices } = (await reply.json()) as { devices: { id: string; uptimeMs: number | null; boxes: unknown[] }[] };
          // What the fleet is told of it: listed, how long it has run, its boxes (none configured).
          expect(devices.find((device) => device.id === console.deviceId)).toMatchObject({
            uptimeMs: expect.any(Number),
            boxes: [],
          });
        },
        { timeout: 15_000, interval: 200 },
      );
    } finally {
      await host.stop();
      await collector.stop();
    }
  }, 40_000);

  it('a console that drained its outbox shows 0 unsent and its clock offset within one heartbeat, not a period later', async () => {
    const dir = tempDir();
    const tokens = path.join(dir, 'tokens.json');
    const admin = addAdmin(tokens);
    const collector = await startCollectorProcess(['--db', path.join(dir, 'c.db'), '--tokens', tokens]);
    // The default heartbeat period (60 s): the facts must arrive without waiting for it.
    const console = await registeredConsole({ dir, dataDir: path.join(dir, 'data'), tokens, endpoint: collector.url });
    const host = await console.start();
    try {
      const listed = async () => {
        const reply = await fetch(new URL('v1/devices', collector.url), { headers: { authorization: `Bearer ${admin}` } });
        const { devices } = (await reply.json()) as {
          devices: { id: string; outboxDepth: number; clockOffsetMs: number | null; answers: number }[];
        };
        return devices.find((device) => device.id === console.deviceId);
      };
      await vi.waitFor(async () => expect(await listed()).toBeDefined(), { timeout: 15_000, interval: 200 });
      await tap(httpCall(host.url), 4);
      await vi.waitFor(
        async () => expect(await listed()).toMatchObject({ answers: 1, outboxDepth: 0, clockOffsetMs: expect.any(Number) }),
        { timeout: 15_000, interval: 200 },
      );
    } finally {
      await host.stop();
      await collector.stop();
    }
  }, 40_000);
});
