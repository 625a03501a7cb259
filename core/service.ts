import path from 'node:path';
import { newId } from './ids.js';
import { APP_VERSION } from '../shared/version.js';
import type { PultConfig } from '../shared/config.js';
import type { StorageNotice, SyncStatus } from '../shared/contract.js';
import { systemBinding, type SerialBinding } from '../hardware/binding.js';
import type { BoxTiming } from '../hardware/box.js';
import { answerStamp } from './answer-stamp.js';
import { Boxes } from './boxes.js';
import { systemClock, type Clock } from './clock.js';
import { CONFIG_FILE_IN_DATA_DIR, type ResolvedConfig } from './config.node.js';
import { bundleFacts, startBundles } from './bundles.js';
import { ConsoleStatus } from './console-status.js';
import { dispatch, mergeHandlers } from './dispatch.js';
import { Events } from './events.js';
import { consoleSetup, kioskHandlers } from './handlers/kiosk.js';
import { statusHandlers } from './handlers/status.js';
import { supervisorHandlers } from './handlers/supervisor.js';
import type { CoreLink } from './link.js';
import { silentLog, type Log } from './log.js';
import { Session, type SessionPress } from './session.js';
import type { SqliteSetup } from './storage/sqlite.js';
import { Storage } from './storage/storage.js';
import { SupervisorDesk } from './supervisor/desk.js';
import { startSync } from './sync.js';
import { QueueDesk, takeQmaticEvent, takeQueueEvent, type QueueMemory } from './queue-desk.js';
import { officeDayOf } from '../shared/office-time.js';
import { startQueuePoll } from './queue-poll.js';
import { mkguInBackground } from './mkgu.js';

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
  /** Signed config bundles: the keys trusted besides the key folders, how to read the config in force again, the version in force. */
  provisioning?: { trust: readonly string[]; reload: () => ResolvedConfig; initial: number | null };
}

/**
 * The console's core, put together: storage (with the data directory's lock), the one applicant
 * session (its answers stamped and stored), sync, the boxes and the supervisor desk — opened in that order,
 * closed in the reverse. A shell sees only `link`; tests and the benchmark hold the parts too.
 */
export type PultService = Awaited<ReturnType<typeof openService>>;
export const PultService = { open: openService };

async function openService(options: ServiceOptions) {
  const { dataDir } = options;
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLog;
  const binding = options.config.boxes.length > 0 ? (options.binding ?? (await systemBinding())) : null;
  const events = new Events({ session: () => session.view() });
  let boxes: Boxes | null = null;
  let deviceId = '';
  const status = new ConsoleStatus({
    deviceId: () => deviceId,
    // Read only once storage is open: notices found while it opens wait in the status.
    counts: () => store.status(),
    boxes: () => boxes?.statuses() ?? [],
    told: options.onStorageNotice,
    // The status is read only when a screen listens: a tap pays nothing for a status nobody shows.
    changed: () => events.listening('status') && events.emit('status', status.read()),
  });
  const { timeZone } = options.config;
  const onNotice = (notice: StorageNotice) => status.noticed(notice);
  const store = await Storage.open({
    dataDir,
    timeZone,
    sqlite: options.sqlite ?? {},
    wallMs: () => clock.wallMs(),
    onNotice,
  });
  let current = options.config;
  const bootId = newId();
  deviceId = store.deviceId();
  // What the running console uses, for `pult status` beside it (the endpoint only, never the token).
  store.meta.write('sync_endpoint', current.sync?.endpoint ?? '');
  status.opened();

  const deviceOf = (config: PultConfig) => ({
    id: deviceId,
    office: config.office.id,
    window: config.window.id,
    appVersion: APP_VERSION,
    bootId,
  });
  const publish = { wanted: () => events.listening('syncStatus'), send: (s: SyncStatus) => events.emit('syncStatus', s) };
  const startedAt = clock.monoMs();
  const facts = () => ({
    uptimeMs: Math.round(clock.monoMs() - startedAt),
    boxes: status.fleetBoxes(),
    // The fleet alerts on a silent or offline console only while its office is open.
    office: { timeZone: current.timeZone, ...current.openingHours },
    ...bundleFacts(dataDir, bundles?.version() ?? null),
  });
  const openSync = () =>
    startSync({
      config: current,
      device: deviceOf(current),
      storage: store,
      dataDir,
      facts,
      bundles: bundles ?? undefined,
      clock,
      log,
      fetch: options.fetch ?? fetch,
      publish,
    });
  /** A signed bundle came into force: the screens redraw with it; a changed sync section restarts the uploader. */
  const applyBundle = async (config: PultConfig) => {
    const syncChanged = JSON.stringify(config.sync) !== JSON.stringify(current.sync);
    current = config;
    store.meta.write('sync_endpoint', current.sync?.endpoint ?? '');
    await session.reconfigure(config);
    events.emit('console', setup());
    if (syncChanged) {
      sync.stop();
      sync = openSync();
    }
  };
  const bundles = options.provisioning
    ? startBundles({
        dataDir,
        deviceId,
        log,
        wallMs: () => Math.round(clock.wallMs()),
        apply: applyBundle,
        ...options.provisioning,
      })
    : null;
  let sync = openSync();
  const stored = () => (status.changed(), sync.kick());
  // The queue's facts (the visit, what was seen and polled) live in the database's meta table.
  const memory: QueueMemory = { read: (key) => store.meta.read(key), write: (key, value) => store.remember(key, value) };
  const queue = new QueueDesk({
    memory,
    windowId: () => current.window.id,
    timeZone: () => current.timeZone,
    rules: () => current.queue ?? { rateAfter: 'started', windowMs: 120_000 },
    wallMs: () => Math.round(clock.wallMs()),
    log,
    changed: (newVisit) => (void session.queueChanged(newVisit), showLights()),
    setTimer: (delayMs, fire) => clock.setTimer(delayMs, fire),
  });
  const polling = current.queue?.poll
    ? startQueuePoll({
        poll: current.queue.poll,
        window: () => current.queue?.servicePoint ?? current.window.id,
        day: () => officeDayOf(clock.wallMs(), current.timeZone),
        memory,
        apply: (event) => takeQueueEvent(queue, event),
        fetch: globalThis.fetch,
        log,
        setTimer: (delayMs, fire) => clock.setTimer(delayMs, fire),
      })
    : null;
  const mkgu = mkguInBackground({
    dataDir,
    config: current,
    storage: store,
    wallMs: () => Math.round(clock.wallMs()),
    setTimer: (delayMs, fire) => clock.setTimer(delayMs, fire),
    log,
    fetch: options.fetch ?? fetch,
  });
  const visit = () => (current.queue ? queue.openVisit() : null);
  // With a queue, a box's LEDs say «you may rate now»: lit only while a ticket's rating is open.
  const showLights = () => {
    if (current.queue) boxes?.showRatingOpen(visit() !== null);
  };
  const ticketShown = () => {
    const open = visit();
    return {
      required: current.queue?.mode === 'required',
      ticket: open && { number: open.ticket, operator: current.queue?.showOperator ? open.operatorName : null },
    };
  };
  const claimKey = () => (current.queue ? queue.claimKey() : null);
  const storeAnswer = answerStamp({ config: () => current, clock, bootId, storage: store, stored, visit, claimKey });
  const session = new Session({
    setup: current,
    clock,
    burst: { presses: current.misuse.burstPresses, withinMs: current.misuse.burstWithinMs },
    bootId,
    newId,
    storedBy: (pressId) => store.storedBy(pressId),
    store: storeAnswer,
    onChange: (view) => events.emit('session', view),
    queue: ticketShown,
  });
  const setup = () => consoleSetup(current, deviceId);
  const supervisor = new SupervisorDesk({
    dataDir,
    configFile: options.configFile ?? path.join(dataDir, CONFIG_FILE_IN_DATA_DIR),
    config: { get: () => current, set: (config) => void (current = config) },
    storage: store,
    clock,
    log,
    status: () => status.read(),
    syncStatus: () => sync.status(),
    pause: (pausing) => void session.setPaused(pausing),
    applied: async (config) => (await session.reconfigure(config), events.emit('console', setup())),
  });
  if (binding) {
    const press = (p: SessionPress) => session.press(p);
    boxes = new Boxes({ boxes: current.boxes, binding, timing: options.boxTiming, press, onStatus: () => status.changed() });
    boxes.start();
    showLights();
  }
  const integrityChecked = store.startCare();

  const close = async (): Promise<void> => {
    polling?.();
    mkgu?.();
    queue.close();
    bundles?.stop();
    supervisor.close();
    session.close();
    await boxes?.stop();
    sync.stop();
    await store.close();
  };
  const handlers = mergeHandlers(kioskHandlers(session, setup), statusHandlers(status, sync), supervisorHandlers(supervisor));
  const link: CoreLink = {
    invoke: (method, input, caller) => dispatch(handlers, method, input, caller),
    queueEvent: (input, format = 'pult') =>
      format === 'qmatic' ? takeQmaticEvent(queue, input, current.queue?.servicePoint) : takeQueueEvent(queue, input),
    on: events.on.bind(events),
    close,
  };
  // The parts besides the link are for tests and the benchmark; `storeAnswer` is the session's store port.
  return { link, deviceId, dataDir, setup, storage: store, session, status, storeAnswer, integrityChecked, close };
}
