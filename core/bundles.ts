import fs from 'node:fs';
import path from 'node:path';
import type { BundleAudience } from '../shared/config-bundle.js';
import type { PultConfig } from '../shared/config.js';
import { CONFIG_FILE_IN_DATA_DIR, withTokenRead, type ResolvedConfig } from './config.node.js';
import type { Log } from './log.js';
import {
  checkBundle,
  provision,
  provisionedFile,
  readRefusal,
  recordRefusal,
  trustedKeys,
  type BundleCheck,
} from './provision.js';

/**
 * One way a signed bundle is taken, whether it came on a stick (`pult provision FILE`) or from the
 * collector (the heartbeat's `GET /v1/config`): checked against the config in force and the keys
 * trusted now, then put in force — or refused, recorded for the fleet, nothing changed.
 */
export interface Offer {
  dataDir: string;
  text: string;
  signature: string;
  /** `--trust` files, besides /etc/pult/keys and <data-dir>/keys. */
  trust: readonly string[];
  /** The config in force now (file + bundle), read again for each offer. */
  resolved: ResolvedConfig;
  deviceId: string;
  nowMs: number;
  /** Where the trusted keys of the system live (tests point it elsewhere). */
  systemKeysDir?: string;
}

export function takeBundle(offer: Offer): BundleCheck {
  const { resolved, dataDir } = offer;
  const audience: BundleAudience = {
    deviceId: offer.deviceId,
    office: resolved.config.office.id,
    window: resolved.config.window.id,
  };
  const check = checkBundle({
    text: offer.text,
    signature: offer.signature,
    keys: trustedKeys(dataDir, offer.trust, offer.systemKeysDir),
    applied: resolved.bundle?.version ?? null,
    audience,
    base: resolved.base,
    nowMs: offer.nowMs,
    finish: (config) => withTokenRead(config, resolved.source ?? path.join(dataDir, CONFIG_FILE_IN_DATA_DIR)),
  });
  if (check.ok) provision(dataDir, check, offer.text, offer.signature, offer.nowMs);
  else recordRefusal(dataDir, check, offer.nowMs);
  return check;
}

/** What the fleet is told of this console's config: the bundle in force, the last one refused. */
export function bundleFacts(
  dataDir: string,
  inForce: number | null,
): { configVersion: number | null; refusedConfig: string | null } {
  const refused = readRefusal(dataDir);
  const refusedConfig = refused
    ? `${refused.version === null ? 'a bundle' : `version ${refused.version}`}: ${refused.refusal}${refused.detail ? ` (${refused.detail})` : ''}`
    : null;
  return { configVersion: inForce, refusedConfig: refusedConfig?.slice(0, 300) ?? null };
}

/**
 * The running console's side: it watches the bundle in force (a `pult provision` beside it) and
 * takes a new one at once; the collector's offers come through `offer`.
 */
export interface BundlesPart {
  /** The bundle version in force, or null. */
  version(): number | null;
  /** The collector's ETag for what this console last saw (applied or refused): nothing is fetched twice. */
  etag(): string | null;
  offer(text: string, signature: string, etag: string | null): Promise<void>;
  stop(): void;
}

export function startBundles(options: {
  dataDir: string;
  trust: readonly string[];
  reload: () => ResolvedConfig;
  deviceId: string;
  wallMs: () => number;
  apply: (config: PultConfig, version: number | null) => Promise<void>;
  log: Log;
  initial: number | null;
}): BundlesPart {
  let inForce = options.initial;
  let seen: string | null = null;
  let applying = Promise.resolve();
  const file = provisionedFile(options.dataDir);

  /** Takes what the data directory holds now, if it is another version than the one running. */
  const refresh = () =>
    (applying = applying.then(async () => {
      let resolved: ResolvedConfig;
      try {
        resolved = options.reload();
      } catch (error) {
        options.log.warn(
          { error: (error as Error).message },
          'the provisioned config could not be read; the config in force stays',
        );
        return;
      }
      const version = resolved.bundle?.version ?? null;
      if (version === inForce) return;
      inForce = version;
      await options.apply(resolved.config, version);
      options.log.info({ version }, 'config bundle in force');
    }));
  const listener = () => void refresh();
  fs.watchFile(file, { interval: 500, persistent: false }, listener);

  return {
    version: () => inForce,
    etag: () => seen,
    async offer(text, signature, etag) {
      await applying;
      let check: BundleCheck;
      try {
        check = takeBundle({
          dataDir: options.dataDir,
          text,
          signature,
          trust: options.trust,
          resolved: options.reload(),
          deviceId: options.deviceId,
          nowMs: options.wallMs(),
        });
      } catch (error) {
        // A broken key file or config file: said, and the offer is looked at again with the next heartbeat.
        options.log.warn({ error: (error as Error).message }, 'the config bundle from the collector could not be checked');
        return;
      }
      seen = etag;
      if (check.ok) await refresh();
      else options.log.warn({ refusal: check.refusal, detail: check.detail, version: check.version }, 'config bundle refused');
    },
    stop: () => fs.unwatchFile(file, listener),
  };
}
