import path from 'node:path';
import type { PultConfig } from '../shared/config.js';
import type { StorageNotice } from '../shared/contract.js';
import { resolveConfig, type ResolvedConfig } from './config.node.js';
import type { Log } from './log.js';
import { defaultDataDir } from './data-dir.js';
import type { Clock } from './clock.js';
import { PultService } from './service.js';
import type { SqliteSetup } from './storage/sqlite.js';

export interface ConsoleOptions {
  /** --data-dir; else $PULT_DATA_DIR; else the per-user data folder. */
  dataDir?: string;
  /** --config; else $PULT_CONFIG; else pult.config.json in the data directory; else the demo. */
  configFile?: string;
  env: Record<string, string | undefined>;
  sqlite?: SqliteSetup;
  clock?: Clock;
  /** Told of every storage notice, including those found while opening. */
  onStorageNotice?: (notice: StorageNotice) => void;
  /** IT staff's log (deliveries, sync failures, settings changed). */
  log?: Log;
  /** `--trust` key files for signed config bundles, besides /etc/pult/keys and <data-dir>/keys. */
  trust?: readonly string[];
}

export interface PreparedConsole {
  dataDir: string;
  config: PultConfig;
  /** The config file used, or null for the built-in demo config. */
  configSource: string | null;
  /** The signed bundle laid over it, if one is in force (and why one was set aside, if it was). */
  bundle: ResolvedConfig['bundle'];
  bundleProblem: string | null;
  /** The config in force read again (the file and the bundle): what a new bundle is checked against. */
  reload(): ResolvedConfig;
  /** Takes the data directory and opens the core on it. */
  open(): Promise<PultService>;
}

/**
 * The one way a shell (the `pult` command, the Electron kiosk) starts a console: where its data
 * lives, which config applies (validated), then — only when asked — the core itself. Preparing
 * creates nothing, so a shell can refuse (a busy port) before anything is written.
 */
export function prepareConsole(options: ConsoleOptions): PreparedConsole {
  const dataDir = path.resolve(options.dataDir ?? defaultDataDir(options.env));
  const reload = () => resolveConfig(options.configFile, dataDir, options.env);
  const { config, source, bundle, bundleProblem } = reload();
  return {
    dataDir,
    config,
    configSource: source,
    bundle,
    bundleProblem,
    reload,
    open: () =>
      PultService.open({
        dataDir,
        config,
        // The supervisor's setting changes go back into the file the config came from.
        configFile: source,
        sqlite: options.sqlite,
        clock: options.clock,
        onStorageNotice: options.onStorageNotice,
        log: options.log,
        provisioning: { trust: options.trust ?? [], reload, initial: bundle?.version ?? null },
      }),
  };
}
