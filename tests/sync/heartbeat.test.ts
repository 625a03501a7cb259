import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { addAdmin } from '../../collector/tokens.js';
import { startCollectorProcess } from '../support/collector-process.js';
import { registeredConsole } from '../support/registered-console.js';
import { useTempDirs } from '../support/temp-dir.js';

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
});
