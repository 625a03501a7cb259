import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../tests/support/temp-dir.js';
import { LOCKOUT_MS, MAX_FAILURES, PIN_FILE, PinGate, setPin } from './pin.js';

const tempDir = useTempDirs();

describe('the supervisor PIN', () => {
  it('is stored only as a scrypt hash, readable by the owner only', async () => {
    const dir = tempDir();
    await setPin(dir, '4821');
    const file = path.join(dir, PIN_FILE);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain('4821');
    expect(JSON.parse(text)).toMatchObject({ scheme: 'scrypt', N: 32768 });
    expect(fs.statSync(file).mode & 0o077).toBe(0);
    expect(await new PinGate(dir).check('4821')).toEqual({ ok: true });
  });

  it('refuses a PIN that is not 4–8 digits', async () => {
    for (const pin of ['123', '123456789', '12a4', ' 1234', ''])
      await expect(setPin(tempDir(), pin)).rejects.toThrow(/4 to 8 digits/);
  });

  it('five wrong PINs lock the pad for five minutes — the right PIN included — and a restart does not lift it', async () => {
    const dir = tempDir();
    await setPin(dir, '4821');
    let now = 1_000_000;
    const gate = new PinGate(dir, () => now);
    const results = [];
    for (let i = 0; i < MAX_FAILURES; i++) results.push(await gate.check('0000'));
    expect(results.map((r) => (r.ok ? 'ok' : r.reason))).toEqual(['wrong', 'wrong', 'wrong', 'wrong', 'locked']);
    expect(results[3]).toEqual({ ok: false, reason: 'wrong', attemptsLeft: 1 });
    expect(await gate.check('4821')).toEqual({ ok: false, reason: 'locked', lockedUntilMs: 1_000_000 + LOCKOUT_MS });
    const afterRestart = new PinGate(dir, () => now);
    now += LOCKOUT_MS - 1;
    expect(await afterRestart.check('4821')).toMatchObject({ ok: false, reason: 'locked' });
    now += 1;
    expect(await afterRestart.check('4821')).toEqual({ ok: true });
    // Counting starts afresh after a success.
    expect(await afterRestart.check('1111')).toEqual({ ok: false, reason: 'wrong', attemptsLeft: MAX_FAILURES - 1 });
  });

  it('a lockout set before the clock went back a day lasts five minutes from now, not a day', async () => {
    const dir = tempDir();
    await setPin(dir, '4821');
    let now = Date.parse('2026-11-27T10:00:00Z'); // booted with a clock a day ahead
    const gate = new PinGate(dir, () => now);
    for (let i = 0; i < MAX_FAILURES; i++) await gate.check('0000');
    now = Date.parse('2026-11-26T10:00:00Z'); // corrected
    expect(await gate.check('4821')).toEqual({ ok: false, reason: 'locked', lockedUntilMs: now + LOCKOUT_MS });
    now += LOCKOUT_MS;
    expect(await gate.check('4821')).toEqual({ ok: true });
  });

  it('without a PIN file nobody gets in (deleting it locks the screen, never opens it)', async () => {
    const dir = tempDir();
    expect(await new PinGate(dir).check('1234')).toEqual({ ok: false, reason: 'no_pin' });
    await setPin(dir, '1234');
    fs.rmSync(path.join(dir, PIN_FILE));
    expect(await new PinGate(dir).check('1234')).toEqual({ ok: false, reason: 'no_pin' });
  });

  it('a new PIN lifts a lockout', async () => {
    const dir = tempDir();
    await setPin(dir, '4821');
    const gate = new PinGate(dir);
    for (let i = 0; i < MAX_FAILURES; i++) await gate.check('0000');
    await setPin(dir, '5555');
    expect(await gate.check('5555')).toEqual({ ok: true });
  });
});
