import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { fileURLToPath } from 'node:url';
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { loadConfigFile } from '../core/config.node.js';
import { prepareConsole } from '../core/console.js';
import { defaultDataDir } from '../core/data-dir.js';
import { PultFailure } from '../core/errors.js';
import { exportAnswers } from '../core/export.js';
import { exportPacket } from '../core/mkgu-packet.js';
import { replaceFile } from '../core/files.js';
import { officeDaysMs } from '../shared/office-time.js';
import type { StorageNotice } from '../shared/contract.js';
import { CriterionSchema, DaySchema } from '../shared/supervisor.js';
import { isTimeZone, reasonLabels, type PultConfig } from '../shared/config.js';
import { EXIT, type FailureKind } from '../shared/admin/failures.js';
import { adminLanguage, adminText, explainFailure, workbookHeaders } from '../shared/admin/text.js';
import { createHost, listenConsole } from '../host/server.js';
import { electronBinary, electronSqliteBinding } from './electron-dev.js';
import { parseTimeBound } from './time-bound.js';
import {
  addAdminToken,
  addDeviceToken,
  collectorLogsDir,
  exportCollector,
  importStick,
  publishBundle,
  PublishRefused,
  addDevicesFromCsv,
  DeviceCsvError,
  enrolmentCsv,
  windowList,
  revokeDeviceToken,
  rotateDeviceToken,
  StickRefused,
  serveCollector,
  UnknownDeviceError,
} from './collector.js';
import { parseDuration } from './duration.js';
import { writeStickBundle } from '../core/stick.js';
import { readConsoleReport } from '../core/status.js';
import { bundleFacts } from '../core/bundles.js';
import { initDataDir } from '../core/init.js';
import { doctorExitCode, runDoctor } from './doctor.js';
import { officeToday, readOperatorStats, readPeriodStats } from '../core/stats.js';
import { isPinFormat, setPin } from '../core/supervisor/pin.js';
import { describeOperators, describeStats, operatorsJson } from './stats-text.js';
import { APP_VERSION } from '../shared/version.js';
import { shellLogs } from './logging.js';
import { logsDir } from '../core/log-files.js';
import type { CoreLink } from '../core/link.js';
import { boxSimCommand, listPortsCommand, watchPortCommand } from './boxes.js';
import { generateKeys, provisionFile, signFile } from './bundles.js';
import { enrollConsole } from './enroll.js';
import { queueSimCommand } from './queue-sim.js';
import { DATABASE_FILE } from '../core/storage/database.js';
import { fetchForm, formInForce } from '../core/mkgu.js';
import { describePackets, packetStatus, sendPackets } from './mkgu.js';
import { SANDBOX_FAULTS, startSandbox, type SandboxFault } from './mkgu-sandbox.js';

/** Every line this command prints is in shared/admin/locales, in the IT staff's language ($PULT_LANG, LANG). */
const t = adminText(adminLanguage(process.env));

/** The command line was wrong: the message is followed by the usage. */
class UsageError extends PultFailure {
  constructor(kind: FailureKind, params: Record<string, string> = {}) {
    super(kind, params);
  }
}

const distDir = path.dirname(fileURLToPath(import.meta.url));
const RENDERER_DIR = path.resolve(distDir, '../renderer');
const ELECTRON_MAIN = path.resolve(distDir, '../electron/main.cjs');
const PROJECT_ROOT = path.resolve(distDir, '../..');

const say = (text: string): void => void process.stdout.write(`${text}\n`);
/** The journal's JSON lines under systemd; plain lines here and JSON lines in rotated files elsewhere (cli/logging.ts). */
const logs = shellLogs(process.env, (dir, error) => t('serve.logsUnwritable', { dir, reason: error.message }));
const log = logs.info;
const logError = logs.warn;

/** Node's own parseArgs errors, in the IT staff's words. */
function argumentError(error: unknown): UsageError {
  const { code, message } = error as { code?: string; message: string };
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? message;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new UsageError('unknownOption', { option: quoted });
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return new UsageError('missingValue', { option: quoted.split(' ')[0]! });
  return new UsageError('unexpectedArgument', { argument: quoted });
}

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw argumentError(error);
  }
}

const serveOptions = {
  config: { type: 'string' },
  'data-dir': { type: 'string' },
  trust: { type: 'string', multiple: true },
  port: { type: 'string', default: '7300' },
  host: { type: 'string', default: '127.0.0.1' },
} as const;

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('badPort', { text });
  return port;
}

/** Fails at once if the port is taken, before a data directory or database is created. */
function ensurePortFree(port: number, host: string): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PultFailure('portInUse', { port, host }) : error),
    );
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** What storage repaired by itself, said once on stderr where IT staff's logs collect it. */
function reportNotice(notice: StorageNotice): void {
  if (notice.kind === 'recovered_from_corrupt_database') logError(t('serve.storageRecovered', notice));
  else if (notice.kind === 'restored_deleted_database') logError(t('serve.storageRestored'));
  else if (notice.kind === 'restored_damaged_database') logError(t('serve.storageRepaired', notice));
  else logError(t('serve.integrityNotRun', notice));
}

/** A box connecting or going away, said once each on stderr, where IT staff's logs collect it. */
function reportBoxes(core: CoreLink): void {
  const connected = new Map<string, boolean>();
  core.on('status', ({ boxes }) => {
    for (const box of boxes) {
      const was = connected.get(box.id);
      connected.set(box.id, box.connected);
      if (was === box.connected || (was === undefined && !box.connected)) continue;
      if (box.connected) logError(t('serve.boxConnected', { box: box.id, port: box.port ?? '—' }));
      else {
        const problem = box.problem ? t(`ports.problem.${box.problem.kind}`, { detail: box.problem.detail ?? '' }) : '—';
        logError(t('serve.boxDisconnected', { box: box.id, problem }));
      }
    }
  });
}

async function serve(args: string[]): Promise<number> {
  const { values } = parse(args, serveOptions);
  const host = values.host as string;
  const port = parsePort(values.port as string);
  const prepared = consoleFrom(values, reportNotice);
  await ensurePortFree(port, host);
  const { link } = await prepared.open();
  logs.toFiles(logsDir(prepared.dataDir));
  reportBoxes(link);
  const { queue } = prepared.config;
  const app = await createHost({
    core: link,
    rendererDir: RENDERER_DIR,
    kioskAddresses: prepared.config.kioskAddresses,
    queue: queue && { token: queue.token, allow: queue.allow },
  });
  const shutdown = async (): Promise<void> => {
    await app.close();
    await link.close();
    await logs.close();
    process.exit(EXIT.ok);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  const actualPort = await listenConsole(app, { port, host });
  const shownHost = host.includes(':') ? `[${host}]` : host;
  if (!prepared.configSource) log(t('serve.demoConfig'));
  log(t('serve.dataDir', { dataDir: prepared.dataDir }));
  log(t('serve.ready', { url: `http://${shownHost}:${actualPort}/` }));
  return new Promise<number>(() => {}); // runs until a signal
}

async function start(args: string[]): Promise<number> {
  const binary = electronBinary();
  if (!binary) {
    log(t('start.noElectron'));
    return serve(args);
  }
  const sqliteBinding = await electronSqliteBinding(PROJECT_ROOT, (version) => log(t('start.buildingSqlite', { version })));
  const child = spawn(binary, [ELECTRON_MAIN, ...args], {
    stdio: 'inherit',
    env: { ...process.env, PULT_SQLITE_BINDING: sqliteBinding },
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? EXIT.failure)));
}

/** A console as `--config` and `--data-dir` name it (else $PULT_CONFIG, $PULT_DATA_DIR, the defaults). */
const consoleFrom = (values: Record<string, unknown>, onStorageNotice?: (notice: StorageNotice) => void) =>
  prepareConsole({
    dataDir: values['data-dir'] as string | undefined,
    configFile: values.config as string | undefined,
    env: process.env,
    onStorageNotice,
    log: logs.core,
    trust: (values.trust as string[] | undefined) ?? [],
  });

async function exportCommand(args: string[]): Promise<number> {
  const { values } = parse(args, {
    config: { type: 'string' },
    'data-dir': { type: 'string' },
    format: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    window: { type: 'string' },
    out: { type: 'string' },
    bundle: { type: 'string' },
  });
  if (typeof values.bundle === 'string') return bundleCommand(values, values.bundle);
  const format = values.format as string | undefined;
  if (format !== 'csv' && format !== 'jsonl' && format !== 'xlsx') throw new UsageError('badExportFormat');
  // Days are the office's (its config's zone), as `pult stats` and the supervisor screen count them.
  const prepared = consoleFrom(values);
  const bound = (option: '--from' | '--to', text: unknown): number | undefined => {
    if (typeof text !== 'string') return undefined;
    const ms = parseTimeBound(text, option === '--to', prepared.config.timeZone);
    if (ms === null) throw new UsageError('badDate', { option, text });
    return ms;
  };
  const fromMs = bound('--from', values.from);
  const toMs = bound('--to', values.to);
  const { dataDir } = prepared;
  const out = values.out ? fs.createWriteStream(values.out as string) : process.stdout;
  const { exportOperators: operators } = prepared.config.supervisor;
  const headers = workbookHeaders(t);
  await exportAnswers({ dataDir, format, fromMs, toMs, windowId: values.window as string | undefined, operators, headers }, out);
  return EXIT.ok;
}

/** A duration flag (90s, 10m, 24h) in ms, or a usage error that names the flag. */
function durationOption(option: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === null) throw new UsageError('badDuration', { option, text });
  return ms;
}

/** `--late-after` and `--offline-after`: a console is late before it is offline. */
function fleetThresholds(late: string, offline: string) {
  const thresholds = {
    lateAfterMs: durationOption('--late-after', late),
    offlineAfterMs: durationOption('--offline-after', offline),
  };
  if (thresholds.offlineAfterMs <= thresholds.lateAfterMs) throw new UsageError('offlineBeforeLate', { late, offline });
  return thresholds;
}

/** `--alert-webhook URL`: http or https, nothing else. */
function webhookOption(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!URL.canParse(text) || !/^https?:$/.test(new URL(text).protocol)) throw new UsageError('badWebhook', { text });
  return text;
}

const deviceOption = (device: unknown): string => {
  if (typeof device !== 'string') throw new UsageError('collectorUsage');
  return device;
};

/** Rotating or revoking a device the tokens file does not know is refused by name. */
function withKnownDevice<T>(tokens: string, device: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof UnknownDeviceError) throw new UsageError('unknownDevice', { device, tokens });
    throw error;
  }
}

/** `pult export --bundle FILE`: every unsent answer into a file for a USB stick (core/stick.ts). */
function bundleCommand(values: Record<string, unknown>, file: string): number {
  const prepared = consoleFrom(values);
  const written = writeStickBundle({ dataDir: prepared.dataDir, config: prepared.config, file, nowMs: Date.now() });
  say(written ? t('bundle.written', { ...written, file }) : t('bundle.nothingUnsent'));
  return EXIT.ok;
}

/** `pult collector serve|add-device|add-admin|rotate-token|revoke|export|import|publish|enroll`: the reference central server. */
async function collectorCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parse(rest, {
    db: { type: 'string', default: './collector.db' },
    tokens: { type: 'string', default: './collector-tokens.json' },
    device: { type: 'string' },
    grace: { type: 'string', default: '24h' },
    port: { type: 'string', default: '7400' },
    host: { type: 'string', default: '127.0.0.1' },
    'log-dir': { type: 'string' },
    'late-after': { type: 'string', default: '3m' },
    'offline-after': { type: 'string', default: '10m' },
    'alert-webhook': { type: 'string' },
    office: { type: 'string' },
    windows: { type: 'string' },
    expires: { type: 'string', default: '7d' },
    csv: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    'time-zone': { type: 'string', default: 'Europe/Moscow' },
    format: { type: 'string' },
    out: { type: 'string' },
  });
  const db = values.db as string;
  const tokens = values.tokens as string;
  switch (sub) {
    case 'serve': {
      logs.toFiles((values['log-dir'] as string | undefined) ?? collectorLogsDir(db, tokens));
      const { url, store } = await serveCollector({
        db,
        tokens,
        logger: logs.requests(),
        onClose: logs.close,
        port: parsePort(values.port as string),
        host: values.host as string,
        thresholds: fleetThresholds(values['late-after'] as string, values['offline-after'] as string),
        alertWebhook: webhookOption(values['alert-webhook'] as string | undefined),
      });
      log(t('collector.ready', { url, store }));
      return new Promise<number>(() => {});
    }
    case 'add-device': {
      if (typeof values.csv === 'string') {
        try {
          say(addDevicesFromCsv(tokens, values.csv));
        } catch (error) {
          if (error instanceof DeviceCsvError) throw new UsageError('badDeviceCsv', { file: values.csv, reason: error.message });
          throw error;
        }
        logError(t('collector.tokensOnce', { tokens }));
        return EXIT.ok;
      }
      if (!values.device) throw new UsageError('collectorUsage');
      say(addDeviceToken(tokens, values.device as string));
      logError(t('collector.tokenOnce', { device: values.device as string, tokens }));
      return EXIT.ok;
    }
    case 'rotate-token': {
      const device = deviceOption(values.device);
      const graceMs = durationOption('--grace', values.grace as string);
      say(withKnownDevice(tokens, device, () => rotateDeviceToken(tokens, device, graceMs)));
      logError(t('collector.rotatedOnce', { device, until: new Date(Date.now() + graceMs).toISOString() }));
      return EXIT.ok;
    }
    case 'revoke': {
      const device = deviceOption(values.device);
      withKnownDevice(tokens, device, () => revokeDeviceToken(tokens, device));
      logError(t('collector.revoked', { device }));
      return EXIT.ok;
    }
    case 'import': {
      const [file] = positionals;
      if (!file) throw new UsageError('collectorUsage');
      try {
        say(t('collector.imported', { file, ...(await importStick(db, file)) }));
      } catch (error) {
        if (error instanceof StickRefused) throw new UsageError('stickDamaged', { file, reason: error.message });
        throw error;
      }
      return EXIT.ok;
    }
    case 'enroll': {
      const office = values.office as string | undefined;
      const windows = windowList((values.windows as string | undefined) ?? '');
      if (!office || !/^[A-Za-z0-9._-]{1,64}$/.test(office) || !windows) throw new UsageError('enrollUsage');
      const expiresMs = durationOption('--expires', values.expires as string);
      say(enrolmentCsv(tokens, office, windows, Date.now() + expiresMs));
      logError(t('collector.codesOnce', { count: windows.length, tokens }));
      return EXIT.ok;
    }
    case 'publish': {
      const [file] = positionals;
      if (!file) throw new UsageError('publishUsage');
      try {
        say(t('collector.published', { file, ...(await publishBundle(db, file)) }));
      } catch (error) {
        if (error instanceof PublishRefused) throw new PultFailure('bundlePublishRefused', { file, reason: error.message });
        throw error;
      }
      return EXIT.ok;
    }
    case 'add-admin':
      say(addAdminToken(tokens));
      logError(t('collector.adminTokenOnce', { tokens }));
      return EXIT.ok;
    case 'export': {
      const format = values.format as string | undefined;
      if (format !== 'csv' && format !== 'jsonl') throw new UsageError('badFormat');
      const days = { from: values.from as string | undefined, to: values.to as string | undefined };
      // Office days only (each console's in its own zone): an instant would mean a different moment per office.
      const isDay = (day: string) => /^\d{4}-\d{2}-\d{2}$/.test(day) && parseTimeBound(day, false, 'UTC') !== null;
      if (days.from !== undefined && !isDay(days.from)) throw new UsageError('badDate', { option: '--from', text: days.from });
      if (days.to !== undefined && !isDay(days.to)) throw new UsageError('badDate', { option: '--to', text: days.to });
      const timeZone = values['time-zone'] as string;
      if (!isTimeZone(timeZone)) throw new UsageError('badTimeZone', { text: timeZone });
      await exportCollector(db, format, values.out as string | undefined, { ...days, timeZone });
      return EXIT.ok;
    }
    default:
      throw new UsageError('collectorUsage');
  }
}

/** `pult init`: the data directory, its database and the device id, before the first start (the package's postinst runs it). */
async function initCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { config: { type: 'string' }, 'data-dir': { type: 'string' } });
  const prepared = consoleFrom(values);
  const deviceId = await initDataDir({ dataDir: prepared.dataDir, timeZone: prepared.config.timeZone, onNotice: reportNotice });
  say(t('init.ready', { deviceId, dataDir: prepared.dataDir }));
  return EXIT.ok;
}

/** `pult doctor`: every check one line (or `{checks:[…]}` with --json); exit 0 ok, 1 warnings, 2 a failure. */
async function doctorCommand(args: string[]): Promise<number> {
  const { values } = parse(args, {
    config: { type: 'string' },
    'data-dir': { type: 'string' },
    url: { type: 'string', default: 'http://127.0.0.1:7300/' },
    json: { type: 'boolean' },
  });
  const checks = await runDoctor({
    dataDir: values['data-dir'] as string | undefined,
    config: values.config as string | undefined,
    consoleUrl: values.url as string,
    t,
  });
  if (values.json) say(JSON.stringify({ checks }));
  else for (const check of checks) say(`${check.status.padEnd(4)}  ${check.name.padEnd(12)}  ${check.detail}`);
  return doctorExitCode(checks);
}

/** `pult status`: what IT staff need to know of a console, read-only beside the running one. */
function statusCommand(args: string[]): number {
  const { values } = parse(args, { config: { type: 'string' }, 'data-dir': { type: 'string' }, json: { type: 'boolean' } });
  const dataDir = path.resolve((values['data-dir'] as string | undefined) ?? defaultDataDir(process.env));
  // A broken config must not hide the answers' state: status names it and goes on.
  let config: { configSource: string | null; configVersion: number | null; configProblem: string | null };
  try {
    const prepared = consoleFrom(values);
    config = { configSource: prepared.configSource, configVersion: prepared.bundle?.version ?? null, configProblem: null };
  } catch (error) {
    config = { configSource: null, configVersion: null, configProblem: explainFailure(error, t).message };
  }
  const read = readConsoleReport(dataDir);
  const time = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const report = {
    version: APP_VERSION,
    ...read,
    oldestUnsentAt: time(read.oldestUnsentAt),
    lastAckAt: time(read.lastAckAt),
    // The config in force: its file, the signed bundle over it, the last bundle refused.
    ...config,
    configRefused: bundleFacts(dataDir, config.configVersion).refusedConfig,
  };
  if (values.json) say(JSON.stringify(report));
  else for (const [key, value] of Object.entries(report)) say(`${key}: ${value ?? '—'}`);
  return EXIT.ok;
}

/** `pult ports [--json] | --watch PORT [--config F --box ID]`: find a box's port, prove its wiring. */
async function portsCommand(args: string[]): Promise<number> {
  const { values } = parse(args, {
    json: { type: 'boolean' },
    watch: { type: 'string' },
    config: { type: 'string' },
    box: { type: 'string' },
  });
  if (values.watch)
    return watchPortCommand(
      say,
      t,
      values.watch as string,
      values.config as string | undefined,
      values.box as string | undefined,
    );
  await listPortsCommand(say, t, Boolean(values.json));
  return EXIT.ok;
}

/** `pult box-sim [--buttons 5] [--dir D]`: a virtual Pult box on a pseudo-terminal pair. */
async function boxSim(args: string[]): Promise<number> {
  const { values } = parse(args, { buttons: { type: 'string', default: '5' }, dir: { type: 'string' } });
  const buttons = Number(values.buttons);
  if (!Number.isInteger(buttons) || buttons < 1 || buttons > 9)
    throw new UsageError('badButtons', { text: values.buttons as string });
  return boxSimCommand(say, t, buttons, values.dir as string | undefined);
}

/** `--from` / `--to` as office days (today when absent), by the supervisor screen's rule; a bad one is named. */
const officeDayOption =
  (today: string) =>
  (option: '--from' | '--to', text: unknown): string => {
    if (typeof text !== 'string') return today;
    if (!DaySchema.safeParse(text).success) throw new UsageError('badDate', { option, text });
    return text;
  };

/** `pult stats`: the period's figures (the same as the supervisor's), for people or, with --json, for scripts. */
function statsCommand(args: string[]): number {
  const { values } = parse(args, {
    config: { type: 'string' },
    'data-dir': { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    window: { type: 'string' },
    json: { type: 'boolean' },
    by: { type: 'string' },
    criterion: { type: 'string', default: 'csi' },
  });
  const prepared = consoleFrom(values);
  const today = officeToday(prepared.config.timeZone);
  const day = officeDayOption(today);
  const period = { from: day('--from', values.from), to: day('--to', values.to) };
  if (values.by !== undefined) {
    if (values.by !== 'operator') throw new UsageError('badBy', { text: values.by as string });
    const criterion = CriterionSchema.safeParse(values.criterion);
    if (!criterion.success) throw new UsageError('badCriterion', { text: values.criterion as string });
    const { priorStrength } = prepared.config.supervisor;
    const stats = readOperatorStats(prepared.dataDir, { ...period, criterion: criterion.data, priorStrength });
    if (values.json) say(JSON.stringify(operatorsJson(stats)));
    else for (const line of describeOperators(stats, t)) say(line);
    return EXIT.ok;
  }
  const stats = readPeriodStats(prepared.dataDir, { ...period, windowId: values.window as string | undefined });
  if (values.json) say(JSON.stringify(stats));
  else for (const line of describeStats(stats, t, reasonLabels(prepared.config), adminLanguage(process.env))) say(line);
  return EXIT.ok;
}

/**
 * Reads one line from stdin without showing it when a person types it (raw mode on a terminal);
 * piped input (scripts, provisioning) is read as it comes.
 */
function readSecretLine(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const input = process.stdin;
    if (!input.isTTY) {
      let text = '';
      input.setEncoding('utf8');
      const onData = (chunk: string) => {
        text += chunk;
        const end = text.indexOf('\n');
        if (end === -1) return;
        input.off('data', onData);
        input.pause();
        resolve(text.slice(0, end).replace(/\r$/, ''));
      };
      input.on('data', onData);
      input.once('end', () => resolve(text.trim()));
      return;
    }
    process.stderr.write(prompt);
    input.setRawMode(true);
    input.setEncoding('utf8');
    let typed = '';
    const onKey = (key: string) => {
      if (key === '\r' || key === '\n' || key === '\u0003') {
        input.off('data', onKey);
        input.setRawMode(false);
        input.pause();
        process.stderr.write('\n');
        resolve(key === '\u0003' ? '' : typed);
      } else if (key === '\u007f') typed = typed.slice(0, -1);
      else typed += key;
    };
    input.on('data', onKey);
    input.resume();
  });
}

/** `pult admin set-pin`: the supervisor's PIN, stored only as a scrypt hash; works beside a running console. */
async function adminCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { 'data-dir': { type: 'string' } });
  if (positionals[0] !== 'set-pin') throw new UsageError('adminUsage');
  const dataDir = path.resolve((values['data-dir'] as string | undefined) ?? defaultDataDir(process.env));
  const pin = await readSecretLine(t('admin.enterPin'));
  if (process.stdin.isTTY && (await readSecretLine(t('admin.repeatPin'))) !== pin) throw new PultFailure('pinMismatch');
  if (!isPinFormat(pin)) throw new PultFailure('badPin');
  await setPin(dataDir, pin);
  say(t('admin.pinSet', { dataDir }));
  return EXIT.ok;
}

/** `pult mkgu export|send|status|fetch-form|sandbox`: the federal criteria's packet, its delivery and a local stand-in (docs/mkgu.md). */
async function mkguCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'export':
      return mkguExport(rest);
    case 'send':
      return await mkguSend(rest);
    case 'status':
      return mkguStatus(rest);
    case 'fetch-form':
      return await mkguFetchForm(rest);
    case 'sandbox':
      return await mkguSandbox(rest);
    default:
      throw new UsageError('mkguUsage');
  }
}

/** The config's mkgu section, or a refusal that says it is missing. */
function mkguSettings(config: PultConfig) {
  if (!config.mkgu) throw new UsageError('mkguNotConfigured');
  return config.mkgu;
}

async function mkguExport(args: string[]): Promise<number> {
  const { values } = parse(args, {
    config: { type: 'string' },
    'data-dir': { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    out: { type: 'string' },
    'sign-key': { type: 'string' },
    'sign-cert': { type: 'string' },
    form: { type: 'string' },
  });
  const signKey = values['sign-key'] as string | undefined;
  const signCert = values['sign-cert'] as string | undefined;
  if (typeof values.out !== 'string' || (signKey === undefined) !== (signCert === undefined)) throw new UsageError('mkguUsage');
  const prepared = consoleFrom(values);
  const settings = mkguSettings(prepared.config);
  const { timeZone } = prepared.config;
  const today = officeToday(timeZone);
  const day = officeDayOption(today);
  const { fromMs, toMs } = officeDaysMs(day('--from', values.from), day('--to', values.to), timeZone);
  const written = await exportPacket({
    dataDir: prepared.dataDir,
    fromMs,
    toMs,
    settings,
    timeZone,
    form: formInForce(prepared.dataDir, values.form as string | undefined),
    sign: signKey && signCert ? { key: fs.readFileSync(signKey, 'utf8'), cert: fs.readFileSync(signCert, 'utf8') } : undefined,
  });
  replaceFile(values.out, written.xml);
  say(t('mkgu.written', { file: values.out, forms: written.forms, rates: written.rates }));
  return EXIT.ok;
}

/** `pult mkgu send [--for 2m]`: packs and sends the console's packets, waiting out retries for a while. */
async function mkguSend(args: string[]): Promise<number> {
  const { values } = parse(args, {
    config: { type: 'string' },
    'data-dir': { type: 'string' },
    for: { type: 'string', default: '2m' },
  });
  const prepared = consoleFrom(values);
  mkguSettings(prepared.config);
  const forMs = durationOption('--for', values.for as string);
  const left = await sendPackets({ dataDir: prepared.dataDir, config: prepared.config, forMs, say, t, onNotice: reportNotice });
  if (left.pending === 0) {
    say(t('mkgu.allSent'));
    return EXIT.ok;
  }
  logError(
    explainFailure(
      new PultFailure('mkguPending', { pending: left.pending, at: new Date(left.nextAtMs ?? Date.now()).toISOString() }),
      t,
    ).message,
  );
  return EXIT.failure;
}

/** `pult mkgu status [--json]`: each packet, newest first — read-only, beside a running console. */
function mkguStatus(args: string[]): number {
  const { values } = parse(args, { config: { type: 'string' }, 'data-dir': { type: 'string' }, json: { type: 'boolean' } });
  const prepared = consoleFrom(values);
  const rows = packetStatus(prepared.dataDir);
  if (values.json) say(JSON.stringify(rows, null, 2));
  else describePackets(rows, t).forEach((line) => say(line));
  return EXIT.ok;
}

/** `pult mkgu fetch-form [--url U]`: reads the current form (mkgu.formUrl) and keeps it in the data directory. */
async function mkguFetchForm(args: string[]): Promise<number> {
  const { values } = parse(args, { config: { type: 'string' }, 'data-dir': { type: 'string' }, url: { type: 'string' } });
  const prepared = consoleFrom(values);
  const url = (values.url as string | undefined) ?? mkguSettings(prepared.config).formUrl;
  if (!url) throw new UsageError('mkguNoFormUrl');
  const form = await fetchForm(prepared.dataDir, url, fetch);
  say(
    t('mkgu.formKept', {
      version: form.formVersion,
      indicators: Object.keys(form.indicators).join(', '),
      dataDir: prepared.dataDir,
    }),
  );
  return EXIT.ok;
}

/** `pult mkgu sandbox [--port 7400] [--faults 503,429,lose,hold,ok] [--form FILE]`: a local stand-in for the rates endpoint. */
async function mkguSandbox(args: string[]): Promise<number> {
  const { values } = parse(args, {
    port: { type: 'string', default: '7400' },
    faults: { type: 'string', default: '' },
    form: { type: 'string' },
  });
  const faults = (values.faults as string).split(',').filter((fault) => fault !== '');
  const unknown = faults.find((fault) => !SANDBOX_FAULTS.includes(fault as SandboxFault));
  if (unknown !== undefined) throw new UsageError('mkguUsage');
  const sandbox = await startSandbox({
    port: parsePort(values.port as string),
    faults: faults as SandboxFault[],
    formFile: values.form as string | undefined,
  });
  say(t('mkgu.sandbox', { url: `${sandbox.url}/rates`, form: `${sandbox.url}/form` }));
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  return EXIT.ok;
}

async function queueSim(args: string[]): Promise<number> {
  const { values } = parse(args, {
    url: { type: 'string', default: 'http://127.0.0.1:7300/' },
    token: { type: 'string' },
    operator: { type: 'string', default: 'operator-1' },
    window: { type: 'string' },
  });
  if (typeof values.token !== 'string') throw new UsageError('queueSimUsage');
  return queueSimCommand(say, t, {
    url: values.url as string,
    token: values.token,
    operator: values.operator as string,
    window: values.window as string | undefined,
  });
}

/** `pult enroll URL CODE [--config F] [--data-dir D]`: registered, given a token and a window, syncing. */
async function enrollCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { config: { type: 'string' }, 'data-dir': { type: 'string' } });
  const [endpoint, code] = positionals;
  if (!endpoint || !code) throw new UsageError('enrollConsoleUsage');
  const prepared = consoleFrom(values);
  // The device id exists from `pult init` (the package's postinst); made here otherwise.
  const known = fs.existsSync(path.join(prepared.dataDir, DATABASE_FILE)) ? readConsoleReport(prepared.dataDir).deviceId : null;
  const deviceId =
    known ?? (await initDataDir({ dataDir: prepared.dataDir, timeZone: prepared.config.timeZone, onNotice: reportNotice }));
  const enrolled = await enrollConsole(prepared, deviceId, endpoint, code);
  say(t('enroll.done', { ...enrolled, endpoint, deviceId }));
  // Under systemd the running console starts again with its new config; elsewhere the next start takes it.
  if (fs.existsSync('/run/systemd/system')) spawnSync('systemctl', ['try-restart', 'pult.service'], { stdio: 'ignore' });
  return EXIT.ok;
}

/** `pult keys generate [--out DIR] [--name NAME]`: a key pair for signing config bundles. */
function keysCommand(args: string[]): number {
  const { values, positionals } = parse(args, {
    out: { type: 'string', default: '.' },
    name: { type: 'string', default: 'pult-config' },
  });
  if (positionals[0] !== 'generate') throw new UsageError('keysUsage');
  const made = generateKeys(path.resolve(values.out as string), values.name as string);
  say(t('keys.made', made));
  return EXIT.ok;
}

/** `pult sign FILE --key K`: FILE.minisig beside FILE. */
function signCommand(args: string[]): number {
  const { values, positionals } = parse(args, { key: { type: 'string' } });
  const [file] = positionals;
  if (!file || typeof values.key !== 'string') throw new UsageError('signUsage');
  say(t('keys.signed', { file, ...signFile(file, values.key) }));
  return EXIT.ok;
}

/** `pult provision FILE [--data-dir D] [--config C] [--trust KEY]…`: a signed bundle put in force, or refused (exit 2). */
function provisionCommand(args: string[]): number {
  const { values, positionals } = parse(args, { ...serveOptions, port: { type: 'string' }, host: { type: 'string' } });
  const [file] = positionals;
  if (!file) throw new UsageError('provisionUsage');
  const prepared = consoleFrom(values);
  const applied = provisionFile(prepared, file, (values.trust as string[] | undefined) ?? [], t);
  say(t('provision.applied', { file, ...applied }));
  return EXIT.ok;
}

function validateConfig(args: string[]): number {
  const { positionals } = parse(args, {});
  if (positionals[0] !== 'validate' || !positionals[1]) throw new UsageError('configUsage');
  loadConfigFile(positionals[1]);
  say(t('config.valid', { file: positionals[1] }));
  return EXIT.ok;
}

/** Every command, in the order `pult --help` lists them; each has its usage and a line about it in the locales. */
const COMMANDS = [
  'start',
  'serve',
  'init',
  'export',
  'config',
  'status',
  'doctor',
  'stats',
  'enroll',
  'keys',
  'sign',
  'provision',
  'collector',
  'ports',
  'box-sim',
  'queue-sim',
  'mkgu',
  'admin',
  'help',
] as const;
type Command = (typeof COMMANDS)[number];
const isCommand = (name: string | undefined): name is Command => COMMANDS.includes(name as Command);
const HELP_FLAGS = ['--help', '-h'];

const usage = (): string =>
  [t('usageHeader'), ...COMMANDS.map((name) => `  ${t(`commands.${name}.usage`)}`), '', t('usageFooter')].join('\n');
const commandUsage = (name: Command): string => `${t(`commands.${name}.usage`)}\n\n${t(`commands.${name}.about`)}`;

/** `pult help [COMMAND]`, `pult COMMAND --help`, `pult --version`: answered before anything runs or opens. */
function help(command: string | undefined, rest: string[]): number | null {
  if (command === '--version' || command === '-V') {
    say(t('version', { version: APP_VERSION }));
    return EXIT.ok;
  }
  if (command === 'help' || HELP_FLAGS.includes(command ?? '')) {
    const [topic] = rest;
    if (topic === undefined || HELP_FLAGS.includes(topic)) say(usage());
    else if (isCommand(topic)) say(commandUsage(topic));
    else throw new UsageError('unknownCommand', { command: topic });
    return EXIT.ok;
  }
  if (isCommand(command) && rest.some((arg) => HELP_FLAGS.includes(arg))) {
    say(commandUsage(command));
    return EXIT.ok;
  }
  return null;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const helped = help(command, rest);
    if (helped !== null) return helped;
    switch (command) {
      case 'start':
        return await start(rest);
      case 'serve':
        return await serve(rest);
      case 'init':
        return await initCommand(rest);
      case 'export':
        return await exportCommand(rest);
      case 'config':
        return validateConfig(rest);
      case 'enroll':
        return await enrollCommand(rest);
      case 'keys':
        return keysCommand(rest);
      case 'sign':
        return signCommand(rest);
      case 'provision':
        return provisionCommand(rest);
      case 'collector':
        return await collectorCommand(rest);
      case 'status':
        return statusCommand(rest);
      case 'doctor':
        return await doctorCommand(rest);
      case 'stats':
        return statsCommand(rest);
      case 'admin':
        return await adminCommand(rest);
      case 'ports':
        return await portsCommand(rest);
      case 'box-sim':
        return await boxSim(rest);
      case 'queue-sim':
        return await queueSim(rest);
      case 'mkgu':
        return await mkguCommand(rest);
      case undefined:
        say(usage());
        return EXIT.badInput;
      default:
        throw new UsageError('unknownCommand', { command });
    }
  } catch (error) {
    const { message, exitCode } = explainFailure(error, t);
    logError(error instanceof UsageError ? `${message}\n${isCommand(command) ? commandUsage(command) : usage()}` : message);
    return exitCode;
  }
}

// `pult export … | head`: a reader that closed the pipe has what it wanted; end quietly, not with «write EPIPE».
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(EXIT.ok);
  throw error;
});
process.exitCode = await main(process.argv.slice(2));
