import { HeartbeatBoxesSchema, type Heartbeat, type WireAnswer, type WireDevice } from '../shared/wire.js';

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

export interface DeviceRow {
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
  answers: number;
}

export interface ExportRow {
  deviceId: string;
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
  exportRows(): AsyncIterable<ExportRow>;
  close(): Promise<void>;
}

/** 16 bytes of a UUID, for compact storage. */
export const uuidBytes = (uuid: string): Buffer => Buffer.from(uuid.replace(/-/g, ''), 'hex');
export const uuidText = (bytes: Buffer): string => {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** The boxes a heartbeat listed, as stored (JSON text): what the collector wrote, or none for a row from before. */
export function fleetBoxes(stored: unknown): DeviceRow['boxes'] {
  if (typeof stored !== 'string') return [];
  const parsed = HeartbeatBoxesSchema.safeParse(JSON.parse(stored));
  return parsed.success ? parsed.data : [];
}
