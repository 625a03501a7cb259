import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { addDevice, hashToken, tokenAuthority } from '../../collector/tokens.js';
import { startCollectorProcess } from '../support/collector-process.js';
import { runPult } from '../support/host-process.js';
import { useTempDirs } from '../support/temp-dir.js';

/**
 * IT staff rotate a console's token without cutting it off (the old one works through a grace
 * period while the new one travels to the console), and end a stolen console's access at once.
 * A real collector process; the tokens file changed beside it by the `pult` command.
 */
const tempDir = useTempDirs();
const deviceId = crypto.randomUUID();

const heartbeat = (url: string, token: string) =>
  fetch(new URL('v1/heartbeat', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      schema: 1,
      device: { id: deviceId, office: 'mfc-1', window: 'w-1', appVersion: '0.1.0', bootId: crypto.randomUUID() },
      sentAt: Date.now(),
      outboxDepth: 0,
      oldestUnsentAt: null,
      lastAckAt: null,
      lastError: null,
      quarantineCount: 0,
      freeDiskBytes: null,
      clockOffsetMs: null,
    }),
  }).then((reply) => reply.status);

describe('device tokens', () => {
  it('a rotated token keeps the old one working through the grace period only; a revoked device is refused at once', async () => {
    const dir = tempDir();
    const tokens = path.join(dir, 'tokens.json');
    const old = addDevice(tokens, deviceId);
    const collector = await startCollectorProcess(['--db', path.join(dir, 'c.db'), '--tokens', tokens]);
    try {
      expect(await heartbeat(collector.url, old)).toBe(200);
      const rotated = await runPult(['collector', 'rotate-token', '--device', deviceId, '--grace', '3s', '--tokens', tokens]);
      expect(rotated.code).toBe(0);
      const fresh = rotated.stdout.trim();
      expect(fresh).toMatch(/^[\w-]{40,}$/);
      expect(rotated.stderr).toMatch(/old one is accepted until \d{4}-\d\d-\d\dT/);
      // Both work during the grace period…
      expect([await heartbeat(collector.url, old), await heartbeat(collector.url, fresh)]).toEqual([200, 200]);
      // …then only the new one (the state waited for, bounded).
      await vi.waitFor(async () => expect(await heartbeat(collector.url, old)).toBe(401), { timeout: 10_000, interval: 250 });
      expect(await heartbeat(collector.url, fresh)).toBe(200);

      const revoked = await runPult(['collector', 'revoke', '--device', deviceId, '--tokens', tokens]);
      expect(revoked.code).toBe(0);
      expect(await heartbeat(collector.url, fresh)).toBe(401);
    } finally {
      await collector.stop();
    }
  }, 40_000);

  it('refuses by name a device it does not know and a grace it cannot read; the file stays as it was', async () => {
    const dir = tempDir();
    const tokens = path.join(dir, 'tokens.json');
    addDevice(tokens, deviceId);
    const before = fs.readFileSync(tokens, 'utf8');
    const unknown = await runPult(['collector', 'revoke', '--device', 'nobody', '--tokens', tokens]);
    expect(unknown).toMatchObject({ code: 2 });
    expect(unknown.stderr).toContain('device nobody has no token in');
    const badGrace = await runPult(['collector', 'rotate-token', '--device', deviceId, '--grace', '1 day', '--tokens', tokens]);
    expect(badGrace).toMatchObject({ code: 2, stdout: '' });
    expect(badGrace.stderr).toContain('--grace: "1 day" is not a duration');
    expect(fs.readFileSync(tokens, 'utf8')).toBe(before);
  });

  it('a tokens file written before rotation existed (a bare hash per device) is still read', () => {
    const dir = tempDir();
    const tokens = path.join(dir, 'tokens.json');
    const token = 'an-older-token-of-forty-or-more-characters-000';
    fs.writeFileSync(tokens, JSON.stringify({ devices: { [deviceId]: hashToken(token) }, admins: [] }));
    expect(tokenAuthority(tokens)(token)).toEqual({ kind: 'device', deviceId });
    expect(tokenAuthority(tokens)('another')).toBeNull();
  });
});
