import crypto from 'node:crypto';
import fs from 'node:fs';
import { z } from 'zod';

/**
 * Device and admin tokens. A token is 32 random bytes, shown once when it is made; the file keeps
 * only its SHA-256, so a copy of the file lets nobody upload or read. A rotated device token keeps
 * its predecessor working until `previousUntil`, so the new one can reach the console first.
 */
const Hash = z.string().regex(/^[0-9a-f]{64}$/);
const DeviceTokens = z.strictObject({
  current: Hash,
  previous: Hash.optional(),
  previousUntil: z.number().int().optional(),
  /** Where IT assigned it (enrolment, add-device --csv): the fleet lists it there before it is ever seen. */
  office: z.string().optional(),
  window: z.string().optional(),
});
/** A one-time enrolment code (its hash): for one window of one office, until it expires or is used. */
const Enrolment = z.strictObject({
  office: z.string(),
  window: z.string(),
  expiresAt: z.number().int(),
  usedBy: z.string().optional(),
  usedAt: z.number().int().optional(),
});
const TokensFileSchema = z.strictObject({
  // A bare hash is a file written before rotation existed: read as that device's current token.
  devices: z.record(
    z.string(),
    z.union([Hash.transform((current): z.output<typeof DeviceTokens> => ({ current })), DeviceTokens]),
  ),
  admins: z.array(Hash),
  enrolments: z.record(Hash, Enrolment).default({}),
});
type TokensFile = z.output<typeof TokensFileSchema>;

export const hashToken = (token: string): string => crypto.createHash('sha256').update(token).digest('hex');
const newToken = (): string => crypto.randomBytes(32).toString('base64url');

function read(file: string): TokensFile {
  if (!fs.existsSync(file)) return { devices: {}, admins: [], enrolments: {} };
  return TokensFileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

function write(file: string, tokens: TokensFile): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file);
}

/** Makes a device's token (replacing an earlier one at once: a lost token is replaced, never recovered). */
export function addDevice(file: string, deviceId: string): string {
  const tokens = read(file);
  const token = newToken();
  tokens.devices[deviceId] = { current: hashToken(token) };
  write(file, tokens);
  return token;
}

/** No such device in the tokens file: nothing to rotate or revoke. */
export class UnknownDeviceError extends Error {
  constructor(readonly deviceId: string) {
    super(`device ${deviceId} has no token here`);
  }
}

/**
 * A new token for a registered device; the one it has keeps working for `graceMs` more (a signed
 * config bundle or a visit carries the new one to the console meanwhile), then is refused.
 */
export function rotateDevice(file: string, deviceId: string, graceMs: number, nowMs = Date.now()): string {
  const tokens = read(file);
  const held = tokens.devices[deviceId];
  if (!held) throw new UnknownDeviceError(deviceId);
  const token = newToken();
  tokens.devices[deviceId] = { ...held, current: hashToken(token), previous: held.current, previousUntil: nowMs + graceMs };
  write(file, tokens);
  return token;
}

/** Ends a device's access at once (a stolen console): every token of it is refused from its next call. */
export function revokeDevice(file: string, deviceId: string): void {
  const tokens = read(file);
  if (!tokens.devices[deviceId]) throw new UnknownDeviceError(deviceId);
  delete tokens.devices[deviceId];
  write(file, tokens);
}

export function addAdmin(file: string): string {
  const tokens = read(file);
  const token = newToken();
  tokens.admins.push(hashToken(token));
  write(file, tokens);
  return token;
}

export type Authority = { kind: 'device'; deviceId: string } | { kind: 'admin' } | null;

interface Holder {
  authority: Authority;
  /** A rotated-out token: accepted until then. */
  until?: number;
}

/** What the collector reads from the tokens file: who a token is, which consoles are registered, the admins. */
export interface TokenRegistry {
  authority(token: string | undefined): Authority;
  /** Every registered console (those with a token), seen or not, and where IT assigned it. */
  devices(): { id: string; office: string | null; window: string | null }[];
  /** The admins' token hashes: the keys that sign a fleet page session (collector/fleet-session.ts). */
  adminHashes(): string[];
}

/**
 * Who a bearer token belongs to; the file is read again when it changes (add-device, rotate-token,
 * revoke while running), so a revoked token is refused from the next call.
 */
export function tokenRegistry(file: string, nowMs: () => number = Date.now): TokenRegistry {
  let loadedAt: string | null = null;
  let byHash = new Map<string, Holder>();
  let tokens: TokensFile = { devices: {}, admins: [], enrolments: {} };
  const load = () => {
    const stat = fs.existsSync(file) ? fs.statSync(file) : null;
    const version = stat ? `${stat.mtimeMs}:${stat.ino}:${stat.size}` : 'none';
    if (version === loadedAt) return;
    tokens = read(file);
    byHash = new Map<string, Holder>();
    for (const [deviceId, held] of Object.entries(tokens.devices)) {
      const authority = { kind: 'device', deviceId } as const;
      byHash.set(held.current, { authority });
      if (held.previous) byHash.set(held.previous, { authority, until: held.previousUntil ?? 0 });
    }
    for (const hash of tokens.admins) byHash.set(hash, { authority: { kind: 'admin' } });
    loadedAt = version;
  };
  return {
    authority(token) {
      if (!token) return null;
      load();
      const holder = byHash.get(hashToken(token));
      if (!holder || (holder.until !== undefined && nowMs() >= holder.until)) return null;
      return holder.authority;
    },
    devices() {
      load();
      return Object.entries(tokens.devices).map(([id, held]) => ({
        id,
        office: held.office ?? null,
        window: held.window ?? null,
      }));
    },
    adminHashes() {
      load();
      return [...tokens.admins];
    },
  };
}

/** Who a bearer token belongs to (see tokenRegistry). */
export const tokenAuthority = (file: string, nowMs: () => number = Date.now) => tokenRegistry(file, nowMs).authority;

/** `pult collector add-device --csv FILE`: a token for each row (device id, and its office and window if given). */
export function addDevices(file: string, rows: readonly { deviceId: string; office?: string; window?: string }[]) {
  const tokens = read(file);
  const made = rows.map((row) => {
    const token = newToken();
    tokens.devices[row.deviceId] = { current: hashToken(token), office: row.office, window: row.window };
    return { deviceId: row.deviceId, token };
  });
  write(file, tokens);
  return made;
}

/**
 * An enrolment code: 100 random bits in five groups of Crockford base32 (no I, L, O, U), easy to
 * read aloud or type; only its hash is kept. Guessing one within its days is out of reach.
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const newCode = (): string => {
  const bytes = crypto.randomBytes(20);
  const chars = [...bytes].map((byte) => CROCKFORD[byte % 32]).join('');
  return chars.match(/.{4}/g)!.join('-');
};
/** What a person typed, as it was issued: case and separators do not matter. */
const normalCode = (code: string): string =>
  code
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, '')
    .match(/.{1,4}/g)
    ?.join('-') ?? '';

/** `pult collector enroll --office ID --windows 1-12`: one code per window, each good once until `expiresAt`. */
export function issueEnrolments(file: string, office: string, windows: readonly string[], expiresAt: number) {
  const tokens = read(file);
  const codes = windows.map((window) => {
    const code = newCode();
    tokens.enrolments[hashToken(code)] = { office, window, expiresAt };
    return { office, window, code, expiresAt };
  });
  write(file, tokens);
  return codes;
}

export type EnrolRefusal = 'unknown' | 'used' | 'expired';
export type EnrolOutcome = { ok: true; token: string; office: string; window: string } | { ok: false; refusal: EnrolRefusal };

/**
 * A console enrols with a code: its device gets a token and the office and window the code was
 * issued for; the code is spent. Read, checked and written in one synchronous step, so two
 * consoles racing with one code in this process cannot both have it.
 */
export function enrol(file: string, code: string, deviceId: string, nowMs: number): EnrolOutcome {
  const tokens = read(file);
  const hash = hashToken(normalCode(code));
  const enrolment = tokens.enrolments[hash];
  if (!enrolment) return { ok: false, refusal: 'unknown' };
  if (enrolment.usedBy !== undefined) return { ok: false, refusal: 'used' };
  if (enrolment.expiresAt <= nowMs) return { ok: false, refusal: 'expired' };
  const token = newToken();
  tokens.devices[deviceId] = { current: hashToken(token), office: enrolment.office, window: enrolment.window };
  tokens.enrolments[hash] = { ...enrolment, usedBy: deviceId, usedAt: nowMs };
  write(file, tokens);
  return { ok: true, token, office: enrolment.office, window: enrolment.window };
}
