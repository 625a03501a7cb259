import { z } from 'zod';
import { AnswerFlagSchema, AnswerInputSchema } from './answer.js';
import { safeText } from './text.js';
import { clockTime } from './config.js';

/**
 * The wire protocol v1 between a console's uploader (sync/) and a collector (collector/): the one
 * source for both sides, docs/protocol.md and docs/openapi.json. A console and a collector share
 * nothing else.
 */
export const WIRE_SCHEMA_VERSION = 1;
export const MAX_BATCH_ANSWERS = 500;
/** Uncompressed; the collector enforces it after decompression. */
export const MAX_BATCH_BYTES = 256 * 1024;

const id = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected 1–64 of A–Z a–z 0–9 . _ -');
const deviceMs = z.number().int().min(0).max(8_640_000_000_000_000);
/**
 * (collector clock − device clock) is believed up to a century either way (a console whose clock
 * reset to 1970): any device time plus the offset stays a safe integer on the collector.
 */
export const MAX_CLOCK_OFFSET_MS = 100 * 366 * 24 * 3_600_000;
const clockOffset = z.number().int().min(-MAX_CLOCK_OFFSET_MS).max(MAX_CLOCK_OFFSET_MS);
/** One line of text, by the console's own rule (shared/text.ts). */
const line = () => safeText();

export const WireDeviceSchema = z.strictObject({
  id: z.uuid(),
  office: id,
  window: id,
  appVersion: line().min(1).max(32),
  bootId: z.uuid(),
});
export type WireDevice = z.output<typeof WireDeviceSchema>;

/** What the console stamps on an answer besides what the screen sent (core/answer-stamp.ts), as the wire names it. */
const stamped = {
  id: z.uuid(),
  seq: z.number().int().positive(),
  /** Always sent: the console fills the default. */
  flags: z.array(AnswerFlagSchema).max(1),
  /** Device wall clock (ms since epoch) when the answer was stored: raw, never corrected on the console. */
  createdAt: deviceMs,
  monoMs: z.number().min(0),
  bootId: z.uuid(),
  operator: line().min(1).max(64).optional(),
  /** The ФРГУ service of the ticket, when the electronic queue said it (docs/queue.md). */
  service: line().min(1).max(64).optional(),
  /** Set when the console salvaged the answer from a damaged database file. */
  recoveredFrom: line().max(200).optional(),
};

/**
 * An answer on the wire: the very answer the console took (shared/answer.ts — the same ranges,
 * reasons, text rules and limits, so the collector is never laxer than the console), plus its stamp.
 */
const [csi, nps, mkgu9, mkgu10, mkgu11, mkgu12, mkgu13, reasons, comment] = AnswerInputSchema.options;
export const WireAnswerSchema = z.discriminatedUnion('question', [
  csi.extend(stamped),
  nps.extend(stamped),
  mkgu9.extend(stamped),
  mkgu10.extend(stamped),
  mkgu11.extend(stamped),
  mkgu12.extend(stamped),
  mkgu13.extend(stamped),
  reasons.extend(stamped),
  comment.extend(stamped),
]);
export type WireAnswer = z.output<typeof WireAnswerSchema>;

/**
 * A batch as the collector first reads it: the envelope strictly, each answer only as an object
 * with an id, so that one bad record gets its own verdict instead of failing the batch.
 */
export const BatchEnvelopeSchema = z.strictObject({
  schema: z.literal(WIRE_SCHEMA_VERSION),
  device: WireDeviceSchema,
  batchId: z.uuid(),
  sentAt: deviceMs,
  /** The console's estimate of (collector clock − device clock), ms. */
  clockOffsetMs: clockOffset.optional(),
  answers: z
    .array(z.looseObject({ id: z.uuid() }))
    .min(1)
    .max(MAX_BATCH_ANSWERS),
});

/** A batch as the console sends it. */
export const BatchSchema = BatchEnvelopeSchema.extend({ answers: z.array(WireAnswerSchema).min(1).max(MAX_BATCH_ANSWERS) });

export const BatchVerdictSchema = z.strictObject({
  /** Stored now. */
  accepted: z.array(z.uuid()),
  /** Stored before (an earlier send of the same answer): delivered all the same. */
  duplicate: z.array(z.uuid()),
  /** Will never be stored: the console keeps them in quarantine with the reason. */
  rejected: z.array(z.strictObject({ id: z.string(), reason: z.string() })),
  /** The collector's clock, ms since epoch. */
  serverTime: z.number().int(),
});
export type BatchVerdict = z.output<typeof BatchVerdictSchema>;

/** A button box as the fleet sees it. */
const HeartbeatBoxSchema = z.strictObject({
  id,
  connected: z.boolean(),
  lastPressAt: deviceMs.nullable(),
  /** Frames that meant nothing since the console started: a loose cable shows. */
  invalidFrames: z.number().int().min(0),
});

export const HeartbeatBoxesSchema = z.array(HeartbeatBoxSchema).max(8);

export const HeartbeatSchema = z.strictObject({
  schema: z.literal(WIRE_SCHEMA_VERSION),
  device: WireDeviceSchema,
  sentAt: deviceMs,
  outboxDepth: z.number().int().min(0),
  oldestUnsentAt: deviceMs.nullable(),
  lastAckAt: deviceMs.nullable(),
  lastError: safeText({ lines: true }).max(500).nullable(),
  quarantineCount: z.number().int().min(0),
  freeDiskBytes: z.number().int().min(0).nullable(),
  clockOffsetMs: clockOffset.nullable(),
  /** Since 0.1: optional, so a console and a collector of either age understand each other. */
  lastAnswerAt: deviceMs.nullable().optional(),
  uptimeMs: z.number().int().min(0).optional(),
  boxes: HeartbeatBoxesSchema.optional(),
  /** The office's zone and opening hours as the console's config says: the fleet alerts only while it is open. */
  office: z
    .strictObject({
      timeZone: line().min(1).max(64),
      days: z.array(z.number().int().min(1).max(7)).min(1).max(7),
      from: clockTime,
      to: clockTime,
    })
    .optional(),
  /** The signed config bundle in force (none: the packaged or local config), and the last one refused, with why. */
  configVersion: z.number().int().min(0).nullable().optional(),
  refusedConfig: line().max(300).nullable().optional(),
});
export type Heartbeat = z.output<typeof HeartbeatSchema>;

export const HeartbeatReplySchema = z.strictObject({ serverTime: z.number().int() });

/** Every error a collector answers with, like the console's own contract. */
export const WireErrorSchema = z.strictObject({ error: z.strictObject({ code: z.string(), message: z.string() }) });

export const DeviceReportSchema = z.strictObject({
  id: z.string(),
  office: z.string().nullable(),
  window: z.string().nullable(),
  appVersion: z.string().nullable(),
  lastHeartbeatAt: z.number().int().nullable(),
  outboxDepth: z.number().int().nullable(),
  /** The console's oldest unsent answer, on its own clock (see clockOffsetMs). */
  oldestUnsentAt: z.number().int().nullable(),
  quarantineCount: z.number().int().nullable(),
  freeDiskBytes: z.number().int().nullable(),
  lastError: z.string().nullable(),
  clockOffsetMs: z.number().int().nullable(),
  lastAnswerAt: z.number().int().nullable(),
  uptimeMs: z.number().int().nullable(),
  boxes: z.array(HeartbeatBoxSchema),
  answers: z.number().int(),
});
export const DevicesReplySchema = z.strictObject({ devices: z.array(DeviceReportSchema) });

/**
 * Unsent answers carried on a USB stick from an office without a network (`pult export --bundle`
 * on the console, `pult collector import` on the collector). The answers are the wire's; `sha256`
 * is over their JSON text as written, so a damaged file is refused whole. Stored exactly once like
 * any batch: importing twice, or importing and later syncing the same answers, adds nothing.
 */
export const STICK_FORMAT = 'pult-stick/1';
/** A stick bundle is read whole: far beyond any office's backlog (≈ 200,000 answers). */
export const MAX_STICK_BYTES = 64 * 1024 * 1024;
export const StickBundleSchema = z.strictObject({
  format: z.literal(STICK_FORMAT),
  device: WireDeviceSchema,
  createdAt: deviceMs,
  seqFrom: z.number().int().positive(),
  seqTo: z.number().int().positive(),
  count: z.number().int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  answers: z.array(WireAnswerSchema).min(1),
});
export type StickBundle = z.output<typeof StickBundleSchema>;

/** How a console stands, by its last heartbeat on the collector's clock (docs/protocol.md, «The fleet»). */
export const FLEET_STATES = ['online', 'late', 'offline', 'never'] as const;
export type FleetState = (typeof FLEET_STATES)[number];

/** What the fleet raises an alert for; each clears by itself when its cause is gone. */
export const ALERT_KINDS = ['offline', 'backlog', 'box_disconnected', 'clock_offset', 'silent', 'config_refused'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const AlertSchema = z.strictObject({
  deviceId: z.string(),
  kind: z.enum(ALERT_KINDS),
  /** When its cause was first seen, and when the alert was raised (later, for a cause that must last). */
  since: z.number().int(),
  raisedAt: z.number().int(),
  /** Set only in a webhook's "cleared" message. */
  clearedAt: z.number().int().nullable(),
  /** What it is about, in plain words of the facts (a box id, the backlog, the offset). */
  detail: z.string(),
});
export type Alert = z.output<typeof AlertSchema>;
export const AlertsReplySchema = z.strictObject({ alerts: z.array(AlertSchema) });

/** One console on `GET /v1/fleet`: every time is ms since the epoch on the collector's clock. */
export const FleetConsoleSchema = z.strictObject({
  deviceId: z.string(),
  state: z.enum(FLEET_STATES),
  office: z.string().nullable(),
  window: z.string().nullable(),
  appVersion: z.string().nullable(),
  configVersion: z.number().int().nullable(),
  /** The last signed bundle the console refused, and why ("version 4: expired (…)"). */
  refusedConfig: z.string().nullable(),
  pending: z.number().int().nullable(),
  oldestUnsentAt: z.number().int().nullable(),
  lastAnswerAt: z.number().int().nullable(),
  lastSeenAt: z.number().int().nullable(),
  boxes: z.array(HeartbeatBoxSchema),
  clockOffsetMs: z.number().int().nullable(),
  freeDiskBytes: z.number().int().nullable(),
  alerts: z.array(z.enum(ALERT_KINDS)),
});
export type FleetConsole = z.output<typeof FleetConsoleSchema>;
export const FleetReplySchema = z.strictObject({
  consoles: z.array(FleetConsoleSchema),
  /** The thresholds in force (ms): late after, offline after. */
  lateAfterMs: z.number().int(),
  offlineAfterMs: z.number().int(),
  serverTime: z.number().int(),
});
export type FleetReply = z.output<typeof FleetReplySchema>;

/**
 * `GET /v1/config` (device token): the newest signed bundle (shared/config-bundle.ts) the collector
 * holds for this console, as published — the bundle's bytes and its minisign signature. The
 * collector never signs and is never trusted: the console checks the signature itself. ETag and
 * If-None-Match spare a console the same bundle twice; 204 when there is none for it.
 */
export const ConfigOfferSchema = z.strictObject({
  version: z.number().int().min(1),
  bundle: z
    .string()
    .min(1)
    .max(1024 * 1024),
  signature: z.string().min(1).max(4_096),
});
export type ConfigOffer = z.output<typeof ConfigOfferSchema>;

/** `POST /v1/enroll`: a console spends a one-time code (`pult enroll URL CODE`); no token needed. */
export const EnrolRequestSchema = z.strictObject({
  code: z.string().min(1).max(64),
  deviceId: z.uuid(),
});
/** Its token (shown to nobody: the console stores it owner-only) and where it was enrolled. */
export const EnrolReplySchema = z.strictObject({ token: z.string().min(1), office: id, window: id });
export type EnrolReply = z.output<typeof EnrolReplySchema>;
