import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createCollector, type CollectorLogger } from '../collector/server.js';
import type { FleetThresholds } from '../collector/fleet.js';
import { openPostgresStore, isPostgresUrl } from '../collector/postgres-store.js';
import { openSqliteStore } from '../collector/sqlite-store.js';
import type { CollectorStore, ExportRow } from '../collector/store.js';
import { writeRecords, type ExportRecord } from '../core/export.js';
import { readSmallFile } from '../core/files.js';
import { stickChecksum } from '../core/stick.js';
import { describeIssues } from '../shared/config.js';
import { ConfigOfferSchema, MAX_BATCH_ANSWERS, MAX_STICK_BYTES, StickBundleSchema, type StickBundle } from '../shared/wire.js';
import { ConfigBundleSchema, MAX_BUNDLE_BYTES } from '../shared/config-bundle.js';
import { nextDay, officeTimeMs } from '../shared/office-time.js';
import {
  addAdmin,
  addDevice,
  addDevices,
  enrol,
  issueEnrolments,
  revokeDevice,
  rotateDevice,
  tokenRegistry,
} from '../collector/tokens.js';

/** `--db`: a SQLite file (the default, `./collector.db`) or a `postgres://` URL. */
export function openStore(db: string): Promise<CollectorStore> {
  return isPostgresUrl(db) ? openPostgresStore(db) : Promise.resolve(openSqliteStore(path.resolve(db)));
}

/** Runs the collector until a signal; resolves with the address it listens on. */
export async function serveCollector(options: {
  db: string;
  tokens: string;
  port: number;
  host: string;
  thresholds: FleetThresholds;
  alertWebhook: string | undefined;
  logger?: CollectorLogger;
  /** Called after the server and its store closed, before the process exits (the log files are flushed). */
  onClose?: () => Promise<void>;
}) {
  const store = await openStore(options.db);
  const app = await createCollector({
    store,
    tokens: tokenRegistry(path.resolve(options.tokens)),
    enrol: (code, deviceId, nowMs) => enrol(path.resolve(options.tokens), code, deviceId, nowMs),
    logger: options.logger,
    thresholds: options.thresholds,
    alertWebhook: options.alertWebhook,
  });
  const shutdown = async () => {
    await app.close();
    await store.close();
    await options.onClose?.();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  await app.listen({ port: options.port, host: options.host });
  const address = app.server.address();
  return {
    url: `http://${options.host}:${typeof address === 'object' && address ? address.port : options.port}/`,
    store: store.kind,
  };
}

/** Where the collector's log files go without --log-dir: logs/ beside its SQLite file, or beside its tokens file for PostgreSQL. */
export const collectorLogsDir = (db: string, tokens: string): string =>
  path.join(path.dirname(path.resolve(isPostgresUrl(db) ? tokens : db)), 'logs');

export const addDeviceToken = (tokens: string, deviceId: string): string => addDevice(path.resolve(tokens), deviceId);
export const addAdminToken = (tokens: string): string => addAdmin(path.resolve(tokens));
export const rotateDeviceToken = (tokens: string, deviceId: string, graceMs: number): string =>
  rotateDevice(path.resolve(tokens), deviceId, graceMs);
export const revokeDeviceToken = (tokens: string, deviceId: string): void => revokeDevice(path.resolve(tokens), deviceId);
export { UnknownDeviceError } from '../collector/tokens.js';

/** A collector row as one flat record: the answer as sent, and what the collector added. */
const toRecord = (row: ExportRow): ExportRecord => ({
  device_id: row.deviceId,
  office: row.office,
  window: row.window,
  ...row.answer,
  corrected_at: row.correctedAt,
  received_at: row.receivedAt,
  time_flag: row.timeFlag,
  batch_id: row.batchId,
});
const COLUMNS = [
  'device_id',
  'office',
  'window',
  'id',
  'seq',
  'responseId',
  'question',
  'value',
  'reasons',
  'comment',
  'locale',
  'source',
  'flags',
  'createdAt',
  'corrected_at',
  'received_at',
  'time_flag',
  'batch_id',
];

async function* records(rows: AsyncIterable<ExportRow>, keep: (row: ExportRow) => boolean): AsyncGenerator<ExportRecord> {
  for await (const row of rows) if (keep(row)) yield toRecord(row);
}

/** `--from DAY --to DAY` of the collector's export: office days, each console's in its office's zone. */
export interface ExportDays {
  from?: string;
  to?: string;
  /** The zone of a console that never said its own (`--time-zone`, default Europe/Moscow). */
  timeZone: string;
}

/** No zone is more than 14 h from UTC: the database is asked for a day more on each side, each row then judged in its own zone. */
const ZONE_SLACK_MS = 86_400_000;

/** Why a stick bundle is refused whole (the CLI names the file and says nothing was stored). */
export class StickRefused extends Error {}

/** Reads and checks a stick bundle whole: JSON, the format, every answer, the checksum, the counts. */
function readStick(file: string): StickBundle {
  let raw: { answers?: unknown };
  try {
    raw = JSON.parse(readSmallFile(file, MAX_STICK_BYTES)) as { answers?: unknown };
  } catch (error) {
    throw new StickRefused(`not a readable bundle (${(error as Error).message})`);
  }
  const bundle = StickBundleSchema.safeParse(raw);
  if (!bundle.success) throw new StickRefused(describeIssues(bundle.error).join('; '));
  if (stickChecksum(JSON.stringify(raw.answers)) !== bundle.data.sha256)
    throw new StickRefused('its answers do not match its checksum (the file is damaged or was changed)');
  if (bundle.data.answers.length !== bundle.data.count)
    throw new StickRefused('it holds a different number of answers than it says');
  return bundle.data;
}

/**
 * `pult collector import FILE`: a stick bundle's answers stored exactly once, by the same
 * (device, answer id) rule as every batch, in batches of the wire's size.
 */
export async function importStick(db: string, file: string) {
  const bundle = readStick(file);
  const store = await openStore(db);
  const totals = { accepted: 0, duplicate: 0, rejected: 0 };
  try {
    for (let from = 0; from < bundle.answers.length; from += MAX_BATCH_ANSWERS) {
      const verdict = await store.ingest({
        device: bundle.device,
        batchId: crypto.randomUUID(),
        clockOffsetMs: undefined,
        answers: bundle.answers.slice(from, from + MAX_BATCH_ANSWERS),
        receivedAt: Date.now(),
      });
      totals.accepted += verdict.accepted.length;
      totals.duplicate += verdict.duplicate.length;
      totals.rejected += verdict.rejected.length;
    }
  } finally {
    await store.close();
  }
  return { device: bundle.device.id, ...totals };
}

/** Every answer the collector holds, one per (device, answer id); with days, those given on them in their office. */
export async function exportCollector(
  db: string,
  format: 'csv' | 'jsonl',
  out: string | undefined,
  days: ExportDays = { timeZone: 'Europe/Moscow' },
): Promise<void> {
  const store = await openStore(db);
  try {
    const zones = new Map(
      (await store.deviceFacts()).map((device) => [device.id, device.officeHours?.timeZone ?? days.timeZone]),
    );
    const bounds = new Map<string, { fromMs: number; toMs: number }>();
    const boundsIn = (zone: string) => {
      let known = bounds.get(zone);
      if (!known) {
        known = {
          fromMs: days.from ? officeTimeMs(days.from, zone) : Number.MIN_SAFE_INTEGER,
          toMs: days.to ? officeTimeMs(nextDay(days.to), zone) : Number.MAX_SAFE_INTEGER,
        };
        bounds.set(zone, known);
      }
      return known;
    };
    const keep = (row: ExportRow) => {
      const { fromMs, toMs } = boundsIn(zones.get(row.deviceId) ?? days.timeZone);
      return row.correctedAt >= fromMs && row.correctedAt < toMs;
    };
    const wide = boundsIn('UTC');
    const range = {
      fromMs: days.from ? wide.fromMs - ZONE_SLACK_MS : undefined,
      toMs: days.to ? wide.toMs + ZONE_SLACK_MS : undefined,
    };
    await writeRecords(records(store.exportRows(range), keep), COLUMNS, format, out ? fs.createWriteStream(out) : process.stdout);
  } finally {
    await store.close();
  }
}

/** Why a bundle is not published (the CLI names the file). */
export class PublishRefused extends Error {}

/**
 * `pult collector publish FILE`: a signed bundle stored as it is, for the consoles it targets to
 * fetch with their heartbeat. The collector holds no key and checks only the bundle's form: every
 * console checks the signature against its own trusted keys.
 */
export async function publishBundle(db: string, file: string) {
  const signatureFile = `${file}.minisig`;
  if (!fs.existsSync(signatureFile)) throw new PublishRefused(`its signature ${signatureFile} is missing`);
  const text = readSmallFile(file, MAX_BUNDLE_BYTES);
  const signature = readSmallFile(signatureFile, 4_096);
  let parsed;
  try {
    parsed = ConfigBundleSchema.safeParse(JSON.parse(text));
  } catch (error) {
    throw new PublishRefused(`not JSON (${(error as Error).message})`);
  }
  if (!parsed.success) throw new PublishRefused(describeIssues(parsed.error).join('; '));
  if (!ConfigOfferSchema.shape.signature.safeParse(signature).success || !signature.includes('trusted comment: '))
    throw new PublishRefused(`${signatureFile} is not a minisign signature`);
  const store = await openStore(db);
  try {
    const { version, targets } = parsed.data;
    if (!(await store.publishBundle({ version, targets, bundle: text, signature, publishedAt: Date.now() })))
      throw new PublishRefused(`version ${version} is published already (a new bundle needs a higher version)`);
    return { version };
  } finally {
    await store.close();
  }
}

/** "1-12", "3,5,7-9" or "w-1,w-2": the windows to enrol, in order, each once. */
export function windowList(text: string): string[] | null {
  const windows: string[] = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    const range = /^(\d{1,4})-(\d{1,4})$/.exec(part);
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      if (from > to || to - from >= 1_000) return null;
      for (let n = from; n <= to; n++) windows.push(String(n));
    } else if (/^[A-Za-z0-9._-]{1,64}$/.test(part)) windows.push(part);
    else return null;
  }
  return windows.length && new Set(windows).size === windows.length ? windows : null;
}

/** `pult collector enroll`: the codes as CSV (office, window, code, expires), for IT to hand out. */
export function enrolmentCsv(tokens: string, office: string, windows: readonly string[], expiresAt: number): string {
  const rows = issueEnrolments(path.resolve(tokens), office, windows, expiresAt);
  const expires = new Date(expiresAt).toISOString();
  return ['office,window,code,expires', ...rows.map((row) => `${row.office},${row.window},${row.code},${expires}`)].join('\n');
}

/** Why a CSV of devices cannot be used, by line. */
export class DeviceCsvError extends Error {}

/**
 * `pult collector add-device --csv FILE`: lines `device_id[,office[,window]]` (a header line
 * starting with "device" is skipped); every line is checked before any token is made.
 */
export function addDevicesFromCsv(tokens: string, file: string): string {
  const rows = readSmallFile(file, 4 * 1024 * 1024)
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line, index) => ({ line: index + 1, cells: line.split(',').map((cell) => cell.trim()) }))
    .filter(({ cells }) => cells.join('') !== '' && !/^device/i.test(cells[0]!));
  const seen = new Set<string>();
  const devices = rows.map(({ line, cells }) => {
    const [deviceId = '', office, window] = cells;
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(deviceId))
      throw new DeviceCsvError(`line ${line}: "${deviceId}" is not a device id (pult status prints it)`);
    for (const value of [office, window])
      if (value && !/^[A-Za-z0-9._-]{1,64}$/.test(value)) throw new DeviceCsvError(`line ${line}: "${value}" is not an id`);
    if (seen.has(deviceId.toLowerCase())) throw new DeviceCsvError(`line ${line}: device ${deviceId} is listed twice`);
    seen.add(deviceId.toLowerCase());
    return { deviceId: deviceId.toLowerCase(), office: office || undefined, window: window || undefined };
  });
  if (devices.length === 0) throw new DeviceCsvError('it lists no device');
  const made = addDevices(path.resolve(tokens), devices);
  return ['device_id,token', ...made.map((row) => `${row.deviceId},${row.token}`)].join('\n');
}
