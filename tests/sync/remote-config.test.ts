import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { addAdmin } from '../../collector/tokens.js';
import { FleetReplySchema } from '../../shared/wire.js';
import { startCollectorProcess } from '../support/collector-process.js';
import { runPult } from '../support/host-process.js';
import { httpCall } from '../support/press.js';
import { registeredConsole } from '../support/registered-console.js';
import { useTempDirs } from '../support/temp-dir.js';

/**
 * Remote reconfiguration: IT staff publish a bundle signed by minisign on the collector; a console
 * beating every second takes it within three heartbeats, and the fleet shows who has which version
 * and who refused what. Real processes throughout.
 */
const tempDir = useTempDirs();

describe('a bundle published on the collector', () => {
  it('reaches the console it targets within 3 heartbeats; a refused one is shown on the fleet, the config stays', async () => {
    const dir = tempDir();
    const tokens = path.join(dir, 'tokens.json');
    const admin = addAdmin(tokens);
    const db = path.join(dir, 'c.db');
    const collector = await startCollectorProcess(['--db', db, '--tokens', tokens]);
    const pub = path.join(dir, 'region.pub');
    const key = path.join(dir, 'region.key');
    execFileSync('minisign', ['-G', '-W', '-p', pub, '-s', key], { stdio: 'ignore' });
    const console = await registeredConsole({
      dir,
      dataDir: path.join(dir, 'data'),
      tokens,
      endpoint: collector.url,
      sync: { heartbeatMs: 1_000 },
    });
    const host = await console.start(['--trust', pub]);
    const publish = async (version: number, expires: number, label: string) => {
      const file = path.join(dir, `v${version}.json`);
      const body = {
        format: 'pult-config/1',
        version,
        expires: new Date(expires).toISOString(),
        targets: { devices: [console.deviceId] },
        config: { window: { label } },
      };
      fs.writeFileSync(file, JSON.stringify(body));
      execFileSync('minisign', ['-S', '-s', key, '-m', file], { stdio: 'ignore' });
      const published = await runPult(['collector', 'publish', file, '--db', db]);
      expect(published.code, published.stderr).toBe(0);
      return file;
    };
    const fleet = async () => {
      const reply = await fetch(new URL('v1/fleet', collector.url), { headers: { authorization: `Bearer ${admin}` } });
      return FleetReplySchema.parse(await reply.json()).consoles.find((entry) => entry.deviceId === console.deviceId);
    };
    const label = async () => {
      const reply = await httpCall(host.url)('getConsole', {});
      return reply.ok ? (reply.value as { window: { label: string } }).window.label : null;
    };
    try {
      const file = await publish(1, Date.now() + 86_400_000, 'Окно 12');
      const published = Date.now();
      await vi.waitFor(async () => expect(await label()).toBe('Окно 12'), { timeout: 10_000, interval: 100 });
      // Three heartbeats of at most 1.2 s (the jitter), and the time to start the check.
      expect(Date.now() - published).toBeLessThan(3 * 1_200 + 1_000);
      await vi.waitFor(async () => expect(await fleet()).toMatchObject({ configVersion: 1, refusedConfig: null }), {
        timeout: 10_000,
      });
      // The same version again is refused by the collector itself.
      expect((await runPult(['collector', 'publish', file, '--db', db])).stderr).toMatch(/published already/);

      await publish(2, Date.now() - 1_000, 'Окно 13');
      await vi.waitFor(async () => expect((await fleet())?.refusedConfig).toMatch(/^version 2: expired/), {
        timeout: 10_000,
        interval: 200,
      });
      await vi.waitFor(async () => expect((await fleet())?.alerts).toContain('config_refused'), {
        timeout: 15_000,
        interval: 200,
      });
      expect(await label()).toBe('Окно 12');
      expect((await fleet())?.configVersion).toBe(1);
    } finally {
      await host.stop();
      await collector.stop();
    }
  }, 60_000);
});
