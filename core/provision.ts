import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  ConfigBundleSchema,
  MAX_BUNDLE_BYTES,
  overlay,
  targetsConsole,
  type BundleAudience,
  type ConfigBundle,
} from '../shared/config-bundle.js';
import { PultConfigSchema, type PultConfig } from '../shared/config.js';
import { readSmallFile, replaceFile } from './files.js';
import { parsePublicKey, verify, type PublicKey } from './minisign.js';

/**
 * Signed configuration bundles on the console: who is trusted, the checks a bundle must pass
 * (signature by a trusted key, a higher version, not expired, for this console, a config that
 * passes the schema), and the bundle in force, kept in the data directory. A bundle arrives by
 * `pult provision FILE` (a file, a USB stick) or from the collector with the heartbeat; both
 * go through `checkBundle`, and a refusal changes nothing.
 */
export const SYSTEM_KEYS_DIR = '/etc/pult/keys';
const PROVISIONED_FILE = 'provisioned.json';
const REFUSED_FILE = 'provisioned-refused.json';

/** Why a bundle was not applied: each has words in shared/admin/locales (errors.bundle_<refusal>). */
export const REFUSALS = [
  'not_a_signature',
  'untrusted_key',
  'bad_signature',
  'not_a_bundle',
  'not_newer',
  'expired',
  'not_targeted',
  'invalid_config',
] as const;
export type Refusal = (typeof REFUSALS)[number];

export type BundleCheck =
  | { ok: true; bundle: ConfigBundle; config: PultConfig; keyId: string }
  | { ok: false; refusal: Refusal; detail: string; version: number | null };

/** The trusted public keys: every `.pub` in /etc/pult/keys/ and <data-dir>/keys/, and each `--trust` file. */
export function trustedKeys(dataDir: string, extra: readonly string[] = [], systemDir = SYSTEM_KEYS_DIR): PublicKey[] {
  const inDir = (dir: string) =>
    fs.existsSync(dir)
      ? fs
          .readdirSync(dir)
          .filter((name) => name.endsWith('.pub'))
          .map((name) => path.join(dir, name))
      : [];
  const keys: PublicKey[] = [];
  for (const file of [...inDir(systemDir), ...inDir(path.join(dataDir, 'keys')), ...extra]) {
    const key = parsePublicKey(readSmallFile(file, 4_096));
    if (!key) throw new UntrustworthyKeyFile(file);
    keys.push(key);
  }
  return keys;
}

/** A file offered as a trusted key that is not a minisign public key. */
export class UntrustworthyKeyFile extends Error {
  constructor(readonly file: string) {
    super(`${file} is not a minisign public key`);
  }
}

export interface CheckInput {
  text: string;
  signature: string;
  keys: readonly PublicKey[];
  /** The version in force, or null if none was ever applied. */
  applied: number | null;
  audience: BundleAudience;
  /** The console's own config file as written (the bundle is laid over it). */
  base: Record<string, unknown>;
  nowMs: number;
  /** Turns the merged config's `sync.tokenFile` into its token, as at start-up. */
  finish: (config: PultConfig) => PultConfig;
}

/** Every check, in the order that names the first problem a person can act on. */
export function checkBundle(input: CheckInput): BundleCheck {
  const refuse = (refusal: Refusal, detail = '', version: number | null = null): BundleCheck => ({
    ok: false,
    refusal,
    detail,
    version,
  });
  const verified = verify(Buffer.from(input.text), input.signature, input.keys);
  if (!verified.ok) return refuse(verified.refusal, verified.keyId ?? '');
  let bundle: ConfigBundle;
  try {
    const parsed = ConfigBundleSchema.safeParse(JSON.parse(input.text));
    if (!parsed.success) return refuse('not_a_bundle', describe(parsed.error));
    bundle = parsed.data;
  } catch (error) {
    return refuse('not_a_bundle', (error as Error).message);
  }
  const { version } = bundle;
  if (input.applied !== null && version <= input.applied) return refuse('not_newer', String(input.applied), version);
  if (Date.parse(bundle.expires) <= input.nowMs) return refuse('expired', bundle.expires, version);
  if (!targetsConsole(bundle.targets, input.audience)) return refuse('not_targeted', '', version);
  const config = PultConfigSchema.safeParse(overlay(input.base, bundle.config));
  if (!config.success) return refuse('invalid_config', describe(config.error), version);
  try {
    return { ok: true, bundle, config: input.finish(config.data), keyId: verified.keyId };
  } catch (error) {
    return refuse('invalid_config', (error as Error).message, version);
  }
}

const describe = (error: z.ZodError): string =>
  error.issues.map((issue) => `${issue.path.join('.') || '(the bundle)'}: ${issue.message}`).join('; ');

const ProvisionedSchema = z.strictObject({
  version: z.number().int().min(1),
  keyId: z.string(),
  appliedAt: z.number(),
  /** The bundle as signed, and its signature: what an audit can check again with minisign -V. */
  bundle: z.string(),
  signature: z.string(),
});
export type Provisioned = z.output<typeof ProvisionedSchema> & { config: Record<string, unknown> };

/** The bundle in force, or null. A file in the data directory was checked on its way in. */
export function readProvisioned(dataDir: string): Provisioned | null {
  const file = path.join(dataDir, PROVISIONED_FILE);
  if (!fs.existsSync(file)) return null;
  const stored = ProvisionedSchema.parse(JSON.parse(readSmallFile(file, MAX_BUNDLE_BYTES * 2)));
  return { ...stored, config: ConfigBundleSchema.parse(JSON.parse(stored.bundle)).config };
}

/** Puts a checked bundle in force: written whole (fsync, rename) or not at all; a running console takes it at once. */
export function provision(
  dataDir: string,
  check: Extract<BundleCheck, { ok: true }>,
  text: string,
  signature: string,
  nowMs: number,
) {
  const stored = { version: check.bundle.version, keyId: check.keyId, appliedAt: nowMs, bundle: text, signature };
  writeOwned(dataDir, PROVISIONED_FILE, `${JSON.stringify(stored)}\n`);
  fs.rmSync(path.join(dataDir, REFUSED_FILE), { force: true });
  syncDir(dataDir);
}

const RefusedSchema = z.strictObject({
  version: z.number().int().nullable(),
  refusal: z.enum(REFUSALS),
  detail: z.string(),
  at: z.number(),
});
export type RefusedBundle = z.output<typeof RefusedSchema>;

/** The last bundle refused (the fleet is told which and why). */
export function recordRefusal(dataDir: string, check: Extract<BundleCheck, { ok: false }>, nowMs: number): void {
  const refused: RefusedBundle = {
    version: check.version,
    refusal: check.refusal,
    detail: check.detail.slice(0, 200),
    at: nowMs,
  };
  writeOwned(dataDir, REFUSED_FILE, `${JSON.stringify(refused)}\n`);
}

export function readRefusal(dataDir: string): RefusedBundle | null {
  const file = path.join(dataDir, REFUSED_FILE);
  if (!fs.existsSync(file)) return null;
  const parsed = RefusedSchema.safeParse(JSON.parse(readSmallFile(file, 4_096)));
  return parsed.success ? parsed.data : null;
}

/** The provisioned file's path, for a running console that watches it. */
export const provisionedFile = (dataDir: string): string => path.join(dataDir, PROVISIONED_FILE);

/**
 * Written as the data directory's owner would: `sudo pult provision` on a packaged console must
 * leave a file the console's own user (pult) can read.
 */
function writeOwned(dataDir: string, name: string, text: string): void {
  const file = path.join(dataDir, name);
  replaceFile(file, text, 0o640);
  const owner = fs.statSync(dataDir);
  if (process.getuid?.() === 0) fs.chownSync(file, owner.uid, owner.gid);
}

function syncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
