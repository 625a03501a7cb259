import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEMO_CONFIG, PultConfigSchema, TokenSchema, type ConfigProblem, type PultConfig } from '../shared/config.js';
import { MAX_CONFIG_BYTES, MAX_TOKEN_FILE_BYTES, readSmallFile } from './files.js';
import { overlay } from '../shared/config-bundle.js';
import { readProvisioned } from './provision.js';

/** A config file that cannot be used; shared/admin/text.ts names every problem and its field. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problem: ConfigProblem,
  ) {
    super(`${file}: invalid config (${problem.kind})`);
    this.name = 'ConfigError';
  }
}

export const CONFIG_FILE_IN_DATA_DIR = 'pult.config.json';

/** Reads and validates a config file. */
export function loadConfigFile(file: string): PultConfig {
  return parseConfig(readConfigJson(file), file);
}

/** A config file's JSON as written (no defaults filled in). */
export function readConfigJson(file: string): unknown {
  let text: string;
  try {
    text = readSmallFile(file, MAX_CONFIG_BYTES);
  } catch (error) {
    throw new ConfigError(file, { kind: 'unreadable', detail: (error as Error).message });
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ConfigError(file, { kind: 'not_json', detail: (error as Error).message });
  }
  return json;
}

/** Validates a config's JSON and reads its token file (relative to `file`). */
export function parseConfig(json: unknown, file: string): PultConfig {
  const parsed = PultConfigSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError(file, { kind: 'invalid', error: parsed.error });
  return withTokenRead(parsed.data, file);
}

/** A `sync.tokenFile` (relative to the config file) is read once here; the token is never printed. */
export function withTokenRead(config: PultConfig, configFile: string): PultConfig {
  if (!config.sync?.tokenFile) return config;
  const tokenFile = path.resolve(path.dirname(configFile), config.sync.tokenFile);
  let token: string;
  try {
    token = readSmallFile(tokenFile, MAX_TOKEN_FILE_BYTES).trim();
  } catch (error) {
    throw new ConfigError(configFile, { kind: 'unreadable', detail: `sync.tokenFile: ${(error as Error).message}` });
  }
  // What the file holds must be a token, like `sync.token` itself; the problem names the file's field.
  const checked = TokenSchema.safeParse(token);
  if (!checked.success)
    throw new ConfigError(configFile, {
      kind: 'invalid',
      error: new z.ZodError(checked.error.issues.map((issue) => ({ ...issue, path: ['sync', 'tokenFile'] }))),
    });
  return { ...config, sync: { ...config.sync, token } };
}

export interface ResolvedConfig {
  config: PultConfig;
  /** The file it came from, or null for the built-in demo default. */
  source: string | null;
  /** That file as written (or the demo): what a signed bundle is laid over. */
  base: Record<string, unknown>;
  /** The signed bundle laid over it (core/provision.ts), if one is in force. */
  bundle: { version: number; keyId: string } | null;
  /** A bundle in force that no longer fits the file (the file changed since): why it was set aside. */
  bundleProblem: string | null;
}

/**
 * --config, else $PULT_CONFIG, else pult.config.json in the data directory, else the demo default;
 * then the signed bundle in force, if any, laid over it.
 */
export function resolveConfig(
  explicit: string | undefined,
  dataDir: string,
  env: Record<string, string | undefined>,
): ResolvedConfig {
  const candidate = explicit ?? env.PULT_CONFIG;
  const inDataDir = path.join(dataDir, CONFIG_FILE_IN_DATA_DIR);
  const source = candidate ? path.resolve(candidate) : fs.existsSync(inDataDir) ? inDataDir : null;
  const json = source ? readConfigJson(source) : structuredClone(DEMO_CONFIG);
  const config = parseConfig(json, source ?? inDataDir);
  const base = json as Record<string, unknown>;
  const plain = { config, source, base, bundle: null, bundleProblem: null };
  const provisioned = readProvisioned(dataDir);
  if (!provisioned) return plain;
  const merged = PultConfigSchema.safeParse(overlay(base, provisioned.config));
  if (!merged.success)
    return {
      ...plain,
      bundleProblem: merged.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
    };
  return {
    config: withTokenRead(merged.data, source ?? inDataDir),
    source,
    base,
    bundle: { version: provisioned.version, keyId: provisioned.keyId },
    bundleProblem: null,
  };
}
