import crypto from 'node:crypto';
import fs from 'node:fs';
import { z } from 'zod';

/**
 * Device and admin tokens. A token is 32 random bytes, shown once when it is made; the file keeps
 * only its SHA-256, so a copy of the file lets nobody upload or read.
 */
const TokensFileSchema = z.strictObject({
  devices: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
  admins: z.array(z.string().regex(/^[0-9a-f]{64}$/)),
});
type TokensFile = z.output<typeof TokensFileSchema>;

export const hashToken = (token: string): string => crypto.createHash('sha256').update(token).digest('hex');
const newToken = (): string => crypto.randomBytes(32).toString('base64url');

function read(file: string): TokensFile {
  if (!fs.existsSync(file)) return { devices: {}, admins: [] };
  return TokensFileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

function write(file: string, tokens: TokensFile): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file);
}

/** Makes a device's token (replacing an earlier one: a lost token is replaced, never recovered). */
export function addDevice(file: string, deviceId: string): string {
  const tokens = read(file);
  const token = newToken();
  tokens.devices[deviceId] = hashToken(token);
  write(file, tokens);
  return token;
}

export function addAdmin(file: string): string {
  const tokens = read(file);
  const token = newToken();
  tokens.admins.push(hashToken(token));
  write(file, tokens);
  return token;
}

export type Authority = { kind: 'device'; deviceId: string } | { kind: 'admin' } | null;

/** Who a bearer token belongs to; the file is read again when it changes (add-device while running). */
export function tokenAuthority(file: string): (token: string | undefined) => Authority {
  let loadedAt = -1;
  let byHash = new Map<string, Authority>();
  const load = () => {
    const mtime = fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0;
    if (mtime === loadedAt) return;
    const tokens = read(file);
    byHash = new Map<string, Authority>([
      ...Object.entries(tokens.devices).map(([deviceId, hash]) => [hash, { kind: 'device', deviceId }] as const),
      ...tokens.admins.map((hash) => [hash, { kind: 'admin' }] as const),
    ]);
    loadedAt = mtime;
  };
  return (token) => {
    if (!token) return null;
    load();
    return byHash.get(hashToken(token)) ?? null;
  };
}
