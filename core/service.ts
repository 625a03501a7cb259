import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { APP_VERSION } from '../shared/version.js';
import type { PultConfig } from '../shared/config.js';
import type { ConsoleSetup, StorageNotice } from '../shared/contract.js';
import { systemBinding, type SerialBinding } from '../hardware/binding.js';
import type { BoxTiming } from '../hardware/box.js';
import { answerStamp } from './answer-stamp.js';
import { Boxes } from './boxes.js';
import { systemClock, type Clock } from './clock.js';
import { CONFIG_FILE_IN_DATA_DIR } from './config.node.js';
import { ConsoleStatus } from './console-status.js';
import { ensureWritableDataDir } from './data-dir.js';
import { dispatch, mergeHandlers } from './dispatch.js';
import { Events } from './events.js';
import { kioskHandlers } from './handlers/kiosk.js';
import { statusHandlers } from './handlers/status.js';
import { supervisorHandlers } from './handlers/supervisor.js';
import type { CoreLink } from './link.js';
import { silentLog, type Log } from './log.js';
import { Session } from './session.js';
import { acquireInstanceLock } from './storage/instance-lock.js';
import type { SqliteSetup } from './storage/sqlite.js';
import { Storage } from './storage/storage.js';
import { SupervisorDesk } from './supervisor/desk.js';
import { startSync } from './sync.js';

/** How often storage checks that its file is still on disk and trims the WAL when quiet. */
const MAINTENANCE_EVERY_MS = 5_000;

export interface ServiceOptions {
  dataDir: string;
  config: PultConfig;
  clock?: Clock;
  sqlite?: SqliteSetup;
  /** Told of every storage notice (a shell logs them for IT staff); also in getStatus(). */
  onStorageNotice?: (notice: StorageNotice) => void;
  /** How the uploader reaches the collector (tests pass their own); the global fetch by default. */
  fetch?: typeof fetch;
  /** The serial binding for button boxes (tests pass their own); the OS's by default, loaded only if boxes are configured. */
  binding?: SerialBinding;
  boxTiming?: Partial<BoxTiming>;
  /** Where settings changed on the supervisor screen are written: the config file in use, else `pult.config.json` in the data directory. */
  configFile?: string | null;
  /** IT staff's log (the shell's pino logger); silent by default. */
  log?: Log;
}

/**
 * The console's core, put together: the data directory's lock, storage, the one applicant session
 * (its answers stamped and stored), sync, the boxes and the supervisor desk — opened in that order,
 * closed in the reverse. A shell sees only `link`; tests and the benchmark hold the parts too.
 */
export type PultService = Awaited<ReturnType<typeof openService>>;
export const PultService = { open: openService };

async function openService(options: ServiceOptions) {
  const { dataDir } = options;
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLog;
  const binding = options.config.boxes.length > 0 ? (options.binding ?? (await systemBinding())) : null;
  ensureWritableDataDir(dataDir);
  const lock = await acquireInstanceLock(dataDir);
  let status: ConsoleStatus | null = null;
  const early: StorageNotice[] = [];
  const events = new Events({ session: () => session.view() });
  const noticed = (notice: StorageNotice) => {
    if (!status) return void early.push(notice);
    status.noticed(notice);
    options.onStorageNotice?.(notice);
    if (!closed) emitStatus();
  };
  /** The status is read only when a screen listens: a tap pays nothing for a status nobody shows. */
  const emitStatus = () => events.listening('status') && events.emit('status', status!.read());
  let closed = false;
  let storage: Storage;
  try {
    storage = Storage.open({
      dataDir,
      timeZone: options.config.timeZone,
      sqlite: options.sqlite ?? {},
      wallMs: () => clock.wallMs(),
      onNotice: noticed,
    });
  } catch (error) {
    await lock.release();
    throw error;
  }
  let current = options.config;
  const bootId = uuidv7();
  const deviceId = storage.meta.init('device_id', uuidv7());
  // What the running console uses, for `pult status` beside it (the endpoint only, never the token).
  storage.meta.write('sync_endpoint', current.sync?.endpoint ?? '');
  let boxes: Boxes | null = null;
  status = new ConsoleStatus(deviceId, storage, () => boxes?.statuses() ?? []);
  early.forEach(noticed);

  const { office, window } = current;
  const device = { id: deviceId, office: office.id, window: window.id, appVersion: APP_VERSION, bootId };
  const sync = startSync({
    config: current,
    device,
    storage,
    dataDir,
    clock,
    log,
    fetch: options.fetch ?? fetch,
    onChange: () =>
      events.listening('syncStatus') &&
      void sync.status().then(
        (s) => events.emit('syncStatus', s),
        () => undefined,
      ),
  });
  const storeAnswer = answerStamp({ config: () => current, clock, bootId, storage, stored: () => (emitStatus(), sync.kick()) });
  const session = new Session({
    setup: current,
    clock,
    burst: { presses: current.misuse.burstPresses, withinMs: current.misuse.burstWithinMs },
    bootId,
    newId: uuidv7,
    storedBy: (pressId) => storage.storedBy(pressId),
    store: storeAnswer,
    onChange: (view) => events.emit('session', view),
  });
  const setup = (): ConsoleSetup => {
    const { office, window, language, flow, timeouts, supervisor } = current;
    return { deviceId, office, window, language, flow, timeouts, supervisorIdleMs: supervisor.idleMs };
  };
  const supervisor = new SupervisorDesk({
    dataDir,
    configFile: options.configFile ?? path.join(dataDir, CONFIG_FILE_IN_DATA_DIR),
    config: { get: () => current, set: (config) => void (current = config) },
    storage,
    clock,
    log,
    status: () => status!.read(),
    syncStatus: () => sync.status(),
    pause: (pausing) => void session.setPaused(pausing),
    applied: async (config) => {
      await session.reconfigure(config);
      events.emit('console', setup());
    },
  });
  if (binding) {
    boxes = new Boxes({
      boxes: current.boxes,
      binding,
      timing: options.boxTiming,
      press: (press) => session.press(press),
      onStatus: emitStatus,
    });
    boxes.start();
  }
  const maintenance = setInterval(() => void storage.maintain().catch(() => undefined), MAINTENANCE_EVERY_MS);
  maintenance.unref();
  const integrityChecked = storage
    .checkIntegrity()
    .catch((error: unknown) => noticed({ kind: 'integrity_check_not_run', reason: String(error), atMs: clock.wallMs() }));

  const close = async (): Promise<void> => {
    closed = true;
    supervisor.close();
    session.close();
    await boxes?.stop();
    sync.stop();
    clearInterval(maintenance);
    await storage.close();
    await lock.release();
  };
  const handlers = mergeHandlers(kioskHandlers(session, setup), statusHandlers(status, sync), supervisorHandlers(supervisor));
  const link: CoreLink = {
    invoke: (method, input, caller) => dispatch(handlers, method, input, caller),
    on: (event, listener) => events.on(event, listener),
    close,
  };
  return {
    link,
    deviceId,
    dataDir,
    /** The config in force: the file's, with the supervisor's changes since the start. */
    get config(): PultConfig {
      return current;
    },
    setup,
    storage,
    session,
    status,
    sync,
    supervisor,
    /** The session's store port (storage tests and benchmark seeding call it directly). */
    storeAnswer,
    /** Storage's periodic care now (file still on disk, WAL trimmed); a timer does it every 5 s. */
    maintainStorage: () => storage.maintain(),
    /** Resolves when the background integrity check is done (and any recovery it started). */
    integrityChecked,
    close,
  };
}
