import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { StatusSchema, type Status } from '../shared/contract.js';
import { prepareConsole, type PreparedConsole } from '../core/console.js';
import { freeDiskBytes } from '../core/data-dir.js';
import { DATABASE_FILE, quickCheck } from '../core/storage/database.js';
import { readConsoleReport } from '../core/status.js';
import { explainFailure, type AdminText } from '../shared/admin/text.js';
import { bundleFacts } from '../core/bundles.js';
import { APP_VERSION } from '../shared/version.js';

/**
 * `pult doctor`: one screen for the person at the terminal. Each check is one line — ok, warn or
 * fail, and for a failure what to do. It only reads (a read-only connection, an authorised call
 * that stores nothing), so it works beside the running console.
 */
export type CheckStatus = 'ok' | 'warn' | 'fail';
export interface Check {
  name: string;
  status: CheckStatus;
  detail: string;
}

const LOW_DISK_BYTES = 200 * 1024 * 1024;
const FULL_DISK_BYTES = 20 * 1024 * 1024;
const STALE_UNSENT_MS = 24 * 3_600_000;
const UNITS = ['pult.service', 'pult-kiosk.service'];

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const sizeOf = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0);

export async function runDoctor(options: {
  dataDir?: string;
  config?: string;
  consoleUrl: string;
  t: AdminText;
}): Promise<Check[]> {
  const { t } = options;
  const checks: Check[] = [{ name: 'version', status: 'ok', detail: t('doctor.version', { version: APP_VERSION }) }];
  const add = (name: string, status: CheckStatus, key: string, params: Record<string, string | number> = {}) =>
    checks.push({ name, status, detail: t(`doctor.${key}`, params) });

  let prepared: PreparedConsole;
  try {
    prepared = prepareConsole({ dataDir: options.dataDir, configFile: options.config, env: process.env });
    add('config', 'ok', prepared.configSource ? 'configFrom' : 'configDemo', { file: prepared.configSource ?? '' });
    const { configVersion, refusedConfig } = bundleFacts(prepared.dataDir, prepared.bundle?.version ?? null);
    if (prepared.bundle) add('configBundle', 'ok', 'configBundle', { version: configVersion ?? '', key: prepared.bundle.keyId });
    if (prepared.bundleProblem) add('configBundle', 'warn', 'configBundleSetAside', { problem: prepared.bundleProblem });
    if (refusedConfig) add('configRefused', 'warn', 'configBundleRefused', { refused: refusedConfig });
  } catch (error) {
    add('config', 'fail', 'configInvalid', { problem: explainFailure(error, t).message });
    return checks;
  }
  const { dataDir, config } = prepared;
  if (!fs.existsSync(dataDir)) {
    add('dataDir', 'fail', 'dataDirMissing', { dataDir });
    return checks;
  }
  const dir = fs.statSync(dataDir);
  const mode = (dir.mode & 0o777).toString(8);
  add('dataDir', dir.mode & 0o002 ? 'warn' : 'ok', dir.mode & 0o002 ? 'dataDirOpen' : 'dataDir', {
    dataDir,
    owner: ownerName(dir.uid),
    mode,
  });

  const file = path.join(dataDir, DATABASE_FILE);
  if (!fs.existsSync(file)) add('database', 'fail', 'noDatabase', { file });
  else {
    const verdict = quickCheck(file, {}, { readonly: true });
    add('database', verdict === 'ok' ? 'ok' : 'fail', verdict === 'ok' ? 'databaseOk' : 'databaseDamaged', {
      size: mib(sizeOf(file)),
      wal: mib(sizeOf(`${file}-wal`)),
      problem: verdict,
    });
  }

  const free = freeDiskBytes(dataDir);
  if (free !== null)
    add(
      'disk',
      free < FULL_DISK_BYTES ? 'fail' : free < LOW_DISK_BYTES ? 'warn' : 'ok',
      free < LOW_DISK_BYTES ? 'diskLow' : 'disk',
      {
        free: mib(free),
      },
    );

  let lastAckAt: number | null = null;
  try {
    const report = readConsoleReport(dataDir);
    lastAckAt = report.lastAckAt;
    const stale = report.oldestUnsentAt !== null && Date.now() - report.oldestUnsentAt > STALE_UNSENT_MS;
    add('answers', stale ? 'warn' : 'ok', stale ? 'answersStale' : 'answers', {
      answers: report.answers,
      pending: report.outboxDepth,
      oldest: report.oldestUnsentAt === null ? '—' : new Date(report.oldestUnsentAt).toISOString(),
      quarantine: report.quarantine,
    });
  } catch (error) {
    add('answers', 'fail', 'answersUnreadable', { problem: explainFailure(error, t).message });
  }

  if (!config.sync) add('collector', 'warn', 'offline');
  else await checkCollector(config.sync.endpoint, config.sync.token ?? '', lastAckAt, add);

  await checkRunningConsole(options.consoleUrl, config.boxes.length, add);
  checkUnits(add);
  return checks;
}

type Add = (name: string, status: CheckStatus, key: string, params?: Record<string, string | number>) => void;

/** Reachable (GET /v1/health, with its clock), and the token accepted by an authorised call that stores nothing. */
async function checkCollector(endpoint: string, token: string, lastAckAt: number | null, add: Add) {
  const url = (route: string) => new URL(route, endpoint.endsWith('/') ? endpoint : `${endpoint}/`).href;
  const last = lastAckAt === null ? '—' : new Date(lastAckAt).toISOString();
  try {
    const sentAt = Date.now();
    const health = await fetch(url('v1/health'), { signal: AbortSignal.timeout(5_000) });
    const { serverTime } = (await health.json()) as { serverTime?: number };
    const offset = typeof serverTime === 'number' ? Math.round(serverTime - (sentAt + Date.now()) / 2) : null;
    add('collector', 'ok', 'collectorReachable', { endpoint, last });
    if (offset !== null) add('clock', Math.abs(offset) > 60_000 ? 'warn' : 'ok', 'clockOffset', { offset });
  } catch (error) {
    add('collector', 'fail', 'collectorUnreachable', { endpoint, problem: (error as Error).message, last });
    return;
  }
  // The token is checked before the body is read: an empty batch is refused as 400 for a known
  // device and 401 for an unknown token, and nothing is stored either way.
  const probe = await fetch(url('v1/batches'), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
    signal: AbortSignal.timeout(5_000),
  }).catch(() => null);
  if (probe?.status === 401 || probe?.status === 403) add('token', 'fail', 'tokenRefused', { status: probe.status });
  else if (probe) add('token', 'ok', 'tokenAccepted');
}

/** The running console's own view: answering, and each box (port, open, firmware, last press). */
async function checkRunningConsole(consoleUrl: string, boxes: number, add: Add) {
  let status: Status;
  try {
    const reply = await fetch(new URL('api/getStatus', consoleUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      signal: AbortSignal.timeout(3_000),
    });
    // What the console answers is read by the contract's own schema, like any other reply.
    status = StatusSchema.parse(((await reply.json()) as { value: unknown }).value);
    add('console', 'ok', 'consoleRunning', { url: consoleUrl });
  } catch {
    add('console', 'warn', 'consoleNotRunning', { url: consoleUrl });
    if (boxes > 0) add('boxes', 'warn', 'boxesUnknown');
    return;
  }
  for (const box of status.boxes) {
    const facts = {
      box: box.id,
      port: box.port ?? '—',
      firmware: box.firmware ?? '—',
      last: box.lastPressAtMs === null ? '—' : new Date(box.lastPressAtMs).toISOString(),
      invalid: box.invalidFrames,
    };
    if (!box.connected) add(`box:${box.id}`, 'fail', 'boxMissing', facts);
    else add(`box:${box.id}`, box.invalidFrames > 0 ? 'warn' : 'ok', box.invalidFrames > 0 ? 'boxNoisy' : 'boxConnected', facts);
  }
}

function checkUnits(add: Add) {
  if (!fs.existsSync('/run/systemd/system')) return;
  for (const unit of UNITS) {
    const state = spawnSync('systemctl', ['is-active', unit], { encoding: 'utf8' }).stdout.trim() || 'unknown';
    add(`unit:${unit}`, state === 'active' ? 'ok' : 'fail', state === 'active' ? 'unitActive' : 'unitInactive', { unit, state });
  }
}

function ownerName(uid: number): string {
  const line = fs.existsSync('/etc/passwd')
    ? fs
        .readFileSync('/etc/passwd', 'utf8')
        .split('\n')
        .find((entry) => entry.split(':')[2] === String(uid))
    : undefined;
  return line?.split(':')[0] ?? String(uid);
}

/** The doctor's own exit codes (README): 0 when all pass, 1 with warnings only, 2 with a failure. */
export const DOCTOR_EXIT = { ok: 0, warnings: 1, failure: 2 } as const;
export const doctorExitCode = (checks: Check[]): number =>
  checks.some((c) => c.status === 'fail')
    ? DOCTOR_EXIT.failure
    : checks.some((c) => c.status === 'warn')
      ? DOCTOR_EXIT.warnings
      : DOCTOR_EXIT.ok;
