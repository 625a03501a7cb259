import type { ConfigBundle } from '../shared/config-bundle.js';
import { type AlertKind, type Heartbeat, type WireAnswer, type WireDevice } from '../shared/wire.js';

/** Where a corrected answer time is not to be believed: ahead of the collector, or years back. */
export type TimeFlag = 'future' | 'ancient';
const FUTURE_SLACK_MS = 5 * 60_000;
const ANCIENT_MS = 2 * 365 * 24 * 3_600_000;

/** The answer's time on the collector's clock (device time + the console's offset estimate), and what is wrong with it. */
export function correctedTime(createdAt: number, clockOffsetMs: number | undefined, receivedAt: number) {
  const correctedAt = createdAt + (clockOffsetMs ?? 0);
  const flag: TimeFlag | null =
    correctedAt > receivedAt + FUTURE_SLACK_MS ? 'future' : correctedAt < receivedAt - ANCIENT_MS ? 'ancient' : null;
  return { correctedAt, flag };
}

export interface IngestVerdict {
  accepted: string[];
  duplicate: string[];
  /** Records the database itself refused (a value it cannot hold): never stored, each with its reason. */
  rejected: { id: string; reason: string }[];
}

/**
 * The store's database cannot be reached right now (restarting, failing over, too many
 * connections). Nothing was stored; the collector answers 503 with Retry-After and the console
 * sends the same batch again later.
 */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the collector's database is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StoreUnavailableError';
  }
}

/** What the collector knows of a console from its heartbeats. */
export interface DeviceFacts {
  id: string;
  office: string | null;
  window: string | null;
  appVersion: string | null;
  lastHeartbeatAt: number | null;
  outboxDepth: number | null;
  /** The console's oldest unsent answer (its own clock): how long its backlog has waited. */
  oldestUnsentAt: number | null;
  quarantineCount: number | null;
  freeDiskBytes: number | null;
  lastError: string | null;
  clockOffsetMs: number | null;
  /** The console's last answer (its own clock), its uptime and its boxes, as its last heartbeat said. */
  lastAnswerAt: number | null;
  uptimeMs: number | null;
  boxes: NonNullable<Heartbeat['boxes']>;
  /** The office's zone and opening hours, as the console's config said. */
  officeHours: NonNullable<Heartbeat['office']> | null;
  /** The signed config bundle in force on the console, and the last one it refused (with why). */
  configVersion: number | null;
  refusedConfig: string | null;
}

/** A console on `GET /v1/devices`: its facts and how many of its answers the collector holds. */
export interface DeviceRow extends DeviceFacts {
  answers: number;
}

/** A signed config bundle as published: the bytes signed and the signature, never opened or re-signed. */
export interface PublishedBundle {
  version: number;
  targets: ConfigBundle['targets'];
  bundle: string;
  signature: string;
  publishedAt: number;
}

/** An alert's row: a cause seen since `since`; raised once it lasted its hold (raisedAt), cleared when it went. */
export interface AlertRow {
  deviceId: string;
  kind: AlertKind;
  detail: string;
  since: number;
  raisedAt: number | null;
}

export interface ExportRow {
  deviceId: string;
  /** Where the console was when it sent the answer (older rows: where it is now), if known. */
  office: string | null;
  window: string | null;
  answer: WireAnswer;
  batchId: string;
  receivedAt: number;
  correctedAt: number;
  timeFlag: TimeFlag | null;
}

export interface IngestBatch {
  device: WireDevice;
  batchId: string;
  clockOffsetMs: number | undefined;
  answers: WireAnswer[];
  receivedAt: number;
}

/**
 * The collector's storage: one small interface, two implementations (SQLite by default,
 * PostgreSQL at scale), one test suite run against both. An answer is unique per
 * (device, answer id) forever — consoles come back after weeks.
 */
export interface CollectorStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Stores a batch in ONE transaction; says which answers are new and which were stored before. */
  ingest(batch: IngestBatch): Promise<IngestVerdict>;
  heartbeat(beat: Heartbeat, receivedAt: number): Promise<void>;
  devices(): Promise<DeviceRow[]>;
  /** The same without counting answers, in no order: what the fleet reads every few seconds. */
  deviceFacts(): Promise<DeviceFacts[]>;
  /** One console's facts (its office and window pick its config bundle), or null if it never beat. */
  device(id: string): Promise<DeviceFacts | null>;
  /** Stores a signed config bundle as it came; false if that version is published already. */
  publishBundle(bundle: PublishedBundle): Promise<boolean>;
  /** Every published bundle, newest version first. */
  bundles(): Promise<PublishedBundle[]>;
  /** Answers stored per console whose corrected time is at or after `sinceMs`. */
  answerCounts(sinceMs: number): Promise<Map<string, number>>;
  /** Causes seen and not yet gone (raised or still within their hold). */
  openAlerts(): Promise<AlertRow[]>;
  /** A cause first seen now: remembered once, whichever collector sees it first (true for that one). */
  noteCause(row: AlertRow): Promise<boolean>;
  /** The cause lasted its hold: true for the one collector that raised it (it tells the webhook). */
  raiseAlert(deviceId: string, kind: AlertKind, detail: string, atMs: number): Promise<boolean>;
  /** The cause is gone: true if it had been raised (and is cleared now by this call). */
  endCause(deviceId: string, kind: AlertKind, detail: string, atMs: number): Promise<boolean>;
  /** Every stored answer, or those whose corrected time is in [fromMs, toMs). */
  exportRows(range?: { fromMs?: number; toMs?: number }): AsyncIterable<ExportRow>;
  close(): Promise<void>;
}

/** 16 bytes of a UUID, for compact storage. */
export const uuidBytes = (uuid: string): Buffer => Buffer.from(uuid.replace(/-/g, ''), 'hex');
export const uuidText = (bytes: Buffer): string => {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/**
 * The boxes a heartbeat listed, as stored (JSON text the collector wrote after the heartbeat passed
 * its schema): read back without validating again — the fleet reads five thousand of them at a
 * time — or none for a row from before.
 */
export function fleetBoxes(stored: unknown): DeviceFacts['boxes'] {
  if (typeof stored !== 'string') return [];
  const boxes: unknown = JSON.parse(stored);
  return Array.isArray(boxes) ? (boxes as DeviceFacts['boxes']) : [];
}

/** The office hours a heartbeat carried, as stored (validated on the way in), or none. */
export function storedOfficeHours(stored: unknown): DeviceFacts['officeHours'] {
  if (typeof stored !== 'string') return null;
  const hours: unknown = JSON.parse(stored);
  return typeof hours === 'object' && hours !== null ? (hours as DeviceFacts['officeHours']) : null;
}

/**
 * A collector database newer than this program: refused at start, before anything is written, as
 * the console refuses its own (an older collector must not run on a schema it does not know).
 */
export class StoreFromTheFutureError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `the collector's database is at schema version ${found}, newer than this collector knows (${known}): upgrade the collector`,
    );
    this.name = 'StoreFromTheFutureError';
  }
}

/** A stored bundle row (either store) as published. */
export const publishedBundle = (row: Record<string, unknown>): PublishedBundle => ({
  version: Number(row.version),
  targets: (typeof row.targets === 'string' ? JSON.parse(row.targets) : row.targets) as PublishedBundle['targets'],
  bundle: row.bundle as string,
  signature: row.signature as string,
  publishedAt: Number(row.published_at),
});
