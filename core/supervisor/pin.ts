import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { replaceFile } from '../files.js';

/**
 * The supervisor's PIN: stored only as a slow hash (scrypt), in a file beside the database so that
 * `pult admin set-pin` works while the console runs (the database belongs to the running process).
 * Five wrong PINs lock the pad for five minutes; the lockout is a file too, so a restart does not
 * lift it. No PIN file means no supervisor access at all: deleting it locks the screen, never opens it.
 */

export const PIN_FILE = 'supervisor-pin.json';
export const LOCKOUT_FILE = 'supervisor-lockout.json';
export const MAX_FAILURES = 5;
export const LOCKOUT_MS = 5 * 60_000;
const PIN_FORMAT = /^\d{4,8}$/;
/** scrypt cost: ~50 ms per try on a small terminal, so guessing offline is slow too. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const KEY_BYTES = 32;

const scrypt = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

interface StoredPin {
  scheme: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  hash: string;
}

interface Lockout {
  failures: number;
  lockedUntilMs: number | null;
}

export type PinCheck =
  | { ok: true }
  | { ok: false; reason: 'no_pin' }
  | { ok: false; reason: 'wrong'; attemptsLeft: number }
  | { ok: false; reason: 'locked'; lockedUntilMs: number };

export const isPinFormat = (pin: string): boolean => PIN_FORMAT.test(pin);

/** Owner-only, and never half a file. */
const writeJson = (file: string, value: unknown): void => replaceFile(file, JSON.stringify(value), 0o600);

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** Sets (or replaces) the PIN; a new PIN also lifts a lockout. Refuses anything but 4–8 digits. */
export async function setPin(dataDir: string, pin: string): Promise<void> {
  if (!isPinFormat(pin)) throw new RangeError('the PIN must be 4 to 8 digits');
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(pin, salt, KEY_BYTES, SCRYPT);
  fs.mkdirSync(dataDir, { recursive: true });
  const stored: StoredPin = {
    scheme: 'scrypt',
    N: SCRYPT.N,
    r: SCRYPT.r,
    p: SCRYPT.p,
    salt: salt.toString('base64'),
    hash: hash.toString('base64'),
  };
  writeJson(path.join(dataDir, PIN_FILE), stored);
  fs.rmSync(path.join(dataDir, LOCKOUT_FILE), { force: true });
}

/** Checks PINs against the stored hash, counting failures and keeping the lockout across restarts. */
export class PinGate {
  constructor(
    private readonly dataDir: string,
    private readonly nowMs: () => number = Date.now,
  ) {}

  private queue: Promise<unknown> = Promise.resolve();

  /**
   * One check at a time: PINs sent in parallel would otherwise each read the failure count before
   * any of them wrote it, and a brute force would never reach the lockout.
   */
  check(pin: string): Promise<PinCheck> {
    const run = this.queue.then(() => this.checkNow(pin));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async checkNow(pin: string): Promise<PinCheck> {
    const stored = readJson<StoredPin>(path.join(this.dataDir, PIN_FILE));
    if (!stored || stored.scheme !== 'scrypt') return { ok: false, reason: 'no_pin' };
    const now = this.nowMs();
    const lockout = this.lockout(now);
    if (lockout.lockedUntilMs !== null && now < lockout.lockedUntilMs)
      return { ok: false, reason: 'locked', lockedUntilMs: lockout.lockedUntilMs };
    const expected = Buffer.from(stored.hash, 'base64');
    const given = isPinFormat(pin)
      ? await scrypt(pin, Buffer.from(stored.salt, 'base64'), expected.length, {
          N: stored.N,
          r: stored.r,
          p: stored.p,
          maxmem: SCRYPT.maxmem,
        })
      : Buffer.alloc(expected.length);
    if (isPinFormat(pin) && crypto.timingSafeEqual(given, expected)) {
      this.save({ failures: 0, lockedUntilMs: null });
      return { ok: true };
    }
    const failures = (lockout.lockedUntilMs !== null ? 0 : lockout.failures) + 1;
    if (failures >= MAX_FAILURES) {
      const lockedUntilMs = now + LOCKOUT_MS;
      this.save({ failures, lockedUntilMs });
      return { ok: false, reason: 'locked', lockedUntilMs };
    }
    this.save({ failures, lockedUntilMs: null });
    return { ok: false, reason: 'wrong', attemptsLeft: MAX_FAILURES - failures };
  }

  /**
   * A lockout ending more than five minutes from now was set before the clock went back (a
   * terminal booted with a wrong clock, then corrected): it lasts five minutes from now, not
   * until the old clock's time comes round again, which could be days away.
   */
  private lockout(now: number): Lockout {
    const saved = readJson<Lockout>(path.join(this.dataDir, LOCKOUT_FILE)) ?? { failures: 0, lockedUntilMs: null };
    if (saved.lockedUntilMs === null || saved.lockedUntilMs - now <= LOCKOUT_MS) return saved;
    const capped = { ...saved, lockedUntilMs: now + LOCKOUT_MS };
    this.save(capped);
    return capped;
  }

  private save(lockout: Lockout): void {
    writeJson(path.join(this.dataDir, LOCKOUT_FILE), lockout);
  }
}
