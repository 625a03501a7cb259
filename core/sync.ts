import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { createUploader, type UploaderStatus } from '../sync/uploader.js';
import type { PultConfig } from '../shared/config.js';
import type { SyncStatus } from '../shared/contract.js';
import type { WireDevice } from '../shared/wire.js';
import type { Clock } from './clock.js';
import { freeDiskBytes } from './data-dir.js';
import type { Log } from './log.js';
import type { BundlesPart } from './bundles.js';
import type { HeartbeatFacts, Storage } from './storage/storage.js';

const gzip = promisify(zlib.gzip);

/** The console's side of sync: the uploader on storage's outbox port, and where the answers stand. */
export interface SyncPart {
  status(): Promise<SyncStatus>;
  /** An answer was stored: send soon. */
  kick(): void;
  stop(): void;
}

export interface SyncOptions {
  config: Pick<PultConfig, 'sync'>;
  device: WireDevice;
  storage: Storage;
  dataDir: string;
  /** What the heartbeat tells the fleet besides the outbox: uptime and the boxes. */
  facts: () => Omit<HeartbeatFacts, 'freeDiskBytes'>;
  /** Signed config bundles the collector offers with the heartbeat go here (core/bundles.ts). */
  bundles?: Pick<BundlesPart, 'etag' | 'offer'>;
  clock: Clock;
  log: Log;
  fetch: typeof fetch;
  /** The `syncStatus` event: sent when the uploader's state changes, read only while someone listens. */
  publish: { wanted(): boolean; send(status: SyncStatus): void };
}

/** Starts draining the outbox to the collector, if the config names one with a token. */
export function startSync(options: SyncOptions): SyncPart {
  const { config, storage, log } = options;
  let last: UploaderStatus | null = null;
  const sync = config.sync;
  const uploader = sync?.token
    ? createUploader({
        endpoint: sync.endpoint,
        token: sync.token,
        device: options.device,
        outbox: storage.outboxPort(options.device, () => ({ freeDiskBytes: freeDiskBytes(options.dataDir), ...options.facts() })),
        fetch: options.fetch,
        now: () => Math.round(options.clock.wallMs()),
        intervalMs: sync.intervalMs,
        timeoutMs: sync.timeoutMs,
        heartbeatMs: sync.heartbeatMs,
        config: options.bundles,
        gzip: async (body) => new Uint8Array(await gzip(body)),
        onDelivered: (batch) => log.info(batch, 'batch delivered'),
        onStatus: (status) => {
          if (status.lastError !== null && status.lastError !== last?.lastError)
            log.warn({ error: status.lastError, retryAt: status.retryAt }, 'sync failure');
          last = status;
          if (options.publish.wanted()) void part.status().then(options.publish.send, () => undefined);
        },
      })
    : null;
  const part: SyncPart = {
    async status() {
      const figures = await storage.outboxFigures();
      return {
        enabled: sync !== undefined,
        endpoint: sync?.endpoint ?? null,
        authorised: last?.authorised ?? null,
        ...figures,
        lastAckAt: last?.lastAckAt ?? null,
        lastError: last?.lastError ?? null,
        clockOffsetMs: last?.clockOffsetMs ?? null,
        retryAt: last?.retryAt ?? null,
      };
    },
    kick: () => uploader?.kick(),
    stop: () => uploader?.stop(),
  };
  uploader?.start();
  return part;
}
