import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DEMO_CONFIG } from '../../shared/config.js';
import { startCollectorProcess } from '../support/collector-process.js';
import { runPult, startHost } from '../support/host-process.js';
import { useTempDirs } from '../support/temp-dir.js';
import { httpCall, QUICK_CONSOLE, tap } from '../support/press.js';

/** The README's steps, as a new user would run them: a collector, a registered console, an answer that arrives. */
const tempDir = useTempDirs();

describe('README: a collector, a console registered with it, answers arriving', () => {
  it('works from the commands alone', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'collector.db');
    const tokens = path.join(dir, 'collector-tokens.json');
    const collector = await startCollectorProcess(['--db', db, '--tokens', tokens]);
    try {
      // The console's device id, from `pult status` after a first start.
      const dataDir = path.join(dir, 'console');
      await (await startHost(['--data-dir', dataDir])).stop();
      const status = await runPult(['status', '--data-dir', dataDir, '--json']);
      const deviceId = (JSON.parse(status.stdout) as { deviceId: string }).deviceId;
      expect(deviceId).toMatch(/^[0-9a-f-]{36}$/);

      const added = await runPult(['collector', 'add-device', '--device', deviceId, '--tokens', tokens]);
      expect(added.code).toBe(0);
      const token = added.stdout.trim();
      expect(added.stderr).toMatch(/shown only now/);
      expect(fs.readFileSync(tokens, 'utf8')).not.toContain(token); // only its hash is kept
      const admin = (await runPult(['collector', 'add-admin', '--tokens', tokens])).stdout.trim();

      fs.writeFileSync(path.join(dir, 'collector.token'), token);
      const config = path.join(dir, 'pult.config.json');
      fs.writeFileSync(
        config,
        JSON.stringify({
          ...DEMO_CONFIG,
          ...QUICK_CONSOLE,
          sync: { endpoint: collector.url, tokenFile: 'collector.token', intervalMs: 200 },
        }),
      );
      const console = await startHost(['--config', config, '--data-dir', dataDir]);
      try {
        const value = (await tap(httpCall(console.url), 4)).answer!;
        await vi.waitFor(
          async () => {
            const exported = await runPult(['collector', 'export', '--db', db, '--format', 'jsonl']);
            expect(exported.stdout).toContain(value.id);
          },
          { timeout: 20_000, interval: 200 },
        );
        const csv = await runPult(['collector', 'export', '--db', db, '--format', 'csv']);
        expect(csv.stdout.startsWith('\uFEFFdevice_id,office,window,id,seq,responseId,question,value')).toBe(true);
        expect(csv.stdout).toContain(`${deviceId},demo-office,demo-window-1,${value.id},1,`);
        const devices = await fetch(`${collector.url}v1/devices`, { headers: { authorization: `Bearer ${admin}` } });
        expect(((await devices.json()) as { devices: { id: string }[] }).devices.map((d) => d.id)).toContain(deviceId);
        const after = JSON.parse((await runPult(['status', '--data-dir', dataDir, '--json'])).stdout) as Record<string, unknown>;
        expect(after).toMatchObject({ deviceId, answers: 1, outboxDepth: 0, quarantine: 0, syncEndpoint: collector.url });
        expect(after.lastAckAt).not.toBeNull();
      } finally {
        await console.stop();
      }
    } finally {
      await collector.stop();
    }
  }, 60_000);
});
