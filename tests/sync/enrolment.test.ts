import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { addAdmin, enrol, issueEnrolments } from '../../collector/tokens.js';
import { FleetReplySchema } from '../../shared/wire.js';
import { startCollectorProcess } from '../support/collector-process.js';
import { runPult, startHost } from '../support/host-process.js';
import { httpCall, tap } from '../support/press.js';
import { useTempDirs } from '../support/temp-dir.js';

/**
 * Registering a console in one step: IT issues codes per window, `pult enroll URL CODE` on the
 * console does the rest, and its first tap arrives. Real processes; a code works once.
 */
const tempDir = useTempDirs();

describe('enrolment', () => {
  it('one code per window; pult enroll registers the console, stores its token owner-only and it syncs; the code works once', async () => {
    const dir = tempDir();
    const tokens = path.join(dir, 'tokens.json');
    const admin = addAdmin(tokens);
    const collector = await startCollectorProcess(['--db', path.join(dir, 'c.db'), '--tokens', tokens]);
    try {
      const issued = await runPult([
        'collector',
        'enroll',
        '--office',
        'mfc-3',
        '--windows',
        '1-2',
        '--expires',
        '1h',
        '--tokens',
        tokens,
      ]);
      expect(issued.code, issued.stderr).toBe(0);
      const [header, ...rows] = issued.stdout.trim().split('\n');
      expect(header).toBe('office,window,code,expires');
      expect(rows.map((row) => row.split(',').slice(0, 2).join(','))).toEqual(['mfc-3,1', 'mfc-3,2']);
      const code = rows[0]!.split(',')[2]!;

      const dataDir = path.join(dir, 'data');
      const enrolled = await runPult(['enroll', collector.url, code.toLowerCase(), '--data-dir', dataDir]);
      expect(enrolled.code, enrolled.stderr).toBe(0);
      expect(enrolled.stdout).toMatch(/enrolled as office mfc-3, window 1/);
      const token = fs.readFileSync(path.join(dataDir, 'collector.token'), 'utf8').trim();
      expect(`${enrolled.stdout}${enrolled.stderr}`).not.toContain(token);
      expect(fs.statSync(path.join(dataDir, 'collector.token')).mode & 0o077).toBe(0);

      const host = await startHost(['--data-dir', dataDir]);
      try {
        await tap(httpCall(host.url), 5);
        await vi.waitFor(
          async () => {
            const reply = await fetch(new URL('v1/fleet', collector.url), { headers: { authorization: `Bearer ${admin}` } });
            const { consoles } = FleetReplySchema.parse(await reply.json());
            expect(consoles).toEqual([expect.objectContaining({ state: 'online', office: 'mfc-3', window: '1', pending: 0 })]);
          },
          { timeout: 15_000, interval: 200 },
        );
      } finally {
        await host.stop();
      }

      // The same code on another console: refused, nothing written there.
      const other = path.join(dir, 'other');
      const again = await runPult(['enroll', collector.url, code, '--data-dir', other]);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/used already/);
      expect(fs.existsSync(path.join(other, 'collector.token'))).toBe(false);
      const wrong = await runPult(['enroll', collector.url, 'AAAA-BBBB-CCCC-DDDD-EEEE', '--data-dir', other]);
      expect(wrong.stderr).toMatch(/not known here/);
    } finally {
      await collector.stop();
    }
  }, 60_000);

  it('a code expires', () => {
    const tokens = path.join(tempDir(), 'tokens.json');
    const now = Date.now();
    const code = issueEnrolments(tokens, 'mfc-1', ['7'], now + 60_000)[0]!.code;
    expect(enrol(tokens, code, crypto.randomUUID(), now + 60_000)).toEqual({ ok: false, refusal: 'expired' });
    expect(enrol(tokens, code, crypto.randomUUID(), now + 59_999)).toMatchObject({ ok: true, office: 'mfc-1', window: '7' });
  });

  it('add-device --csv makes a token per listed console, and the fleet shows them where IT put them; a bad line makes none', async () => {
    const dir = tempDir();
    const tokens = path.join(dir, 'tokens.json');
    const admin = addAdmin(tokens);
    const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, `device_id,office,window\n${a},mfc-1,1\nnot-an-id,mfc-1,2\n`);
    const refused = await runPult(['collector', 'add-device', '--csv', bad, '--tokens', tokens]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/line 3: "not-an-id" is not a device id/);
    const good = path.join(dir, 'good.csv');
    fs.writeFileSync(good, `device_id,office,window\n${a},mfc-1,1\n${b},mfc-1,2\n`);
    const made = await runPult(['collector', 'add-device', '--csv', good, '--tokens', tokens]);
    expect(made.code, made.stderr).toBe(0);
    expect(
      made.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(',')[0]),
    ).toEqual([a, b]);
    const collector = await startCollectorProcess(['--db', path.join(dir, 'c.db'), '--tokens', tokens]);
    try {
      const reply = await fetch(new URL('v1/fleet', collector.url), { headers: { authorization: `Bearer ${admin}` } });
      const { consoles } = FleetReplySchema.parse(await reply.json());
      expect(consoles.map(({ deviceId, state, office, window }) => ({ deviceId, state, office, window }))).toEqual([
        { deviceId: a, state: 'never', office: 'mfc-1', window: '1' },
        { deviceId: b, state: 'never', office: 'mfc-1', window: '2' },
      ]);
    } finally {
      await collector.stop();
    }
  }, 40_000);
});
