import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { v7 as uuidv7 } from 'uuid';
import { createUploader, type OutboxPort, type UploaderStatus } from '../sync/uploader.js';
import { APP_VERSION } from '../shared/version.js';
import type { ParsedAnswer } from '../shared/answer.js';
import type { PultConfig } from '../shared/config.js';
import type { ConsoleSetup, EventName, EventPayload, Status, StorageNotice, SyncStatus } from '../shared/contract.js';
import type { Press, PressReply, SessionView } from '../shared/session.js';
import { systemClock, type Clock } from './clock.js';
import { Session, type SessionPress } from './session.js';
import { Boxes } from './boxes.js';
import { systemBinding, type SerialBinding } from '../hardware/binding.js';
import type { BoxTiming } from '../hardware/box.js';
import { answerRow } from './storage/answers.js';
import type { Appended } from './storage/ledger.js';
import { acquireInstanceLock, type InstanceLock } from './storage/instance-lock.js';
import type { SqliteSetup } from './storage/sqlite.js';
import { Storage } from './storage/storage.js';
import { CONFIG_FILE_IN_DATA_DIR } from './config.node.js';
import { ensureWritableDataDir, freeDiskBytes } from './data-dir.js';
import { silentLog, type Log } from './log.js';
import { InvalidInput } from './errors.js';
import { exportToFolder, type ExportFormat } from './export.js';
import { officeToday, periodStats, windowStats } from './stats.js';
import { SupervisorAccess, type Caller } from './supervisor/access.js';
import { alertsOf, lastCsiScores } from './supervisor/alerts.js';
import { exportFolders } from './supervisor/export-folders.js';
import { PinGate } from './supervisor/pin.js';
import { changeSettings, settingsOf } from './supervisor/settings.js';
import { officeDaysMs } from '../shared/office-time.js';
import type {
  AuditEntry,
  ChangeReply,
  ExportFolder,
  Health,
  OpenReply,
  Period,
  Settings,
  SettingsChange,
  StatsReply,
} from '../shared/supervisor.js';

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

const gzip = promisify(zlib.gzip);

type Listener<E extends EventName> = (payload: EventPayload<E>) => void;

/**
 * The console's core: owns the database and every rule about answers. Shells call it through
 * `invoke` (core/dispatch.ts), which has already parsed the input with the contract's schema.
 */
export class PultService {
  private readonly listeners = new Map<EventName, Set<Listener<EventName>>>();
  private readonly bootId = uuidv7();
  private readonly notices: StorageNotice[] = [];
  private readonly maintenance: ReturnType<typeof setInterval>;
  private closed = false;
  private uploader: ReturnType<typeof createUploader> | null = null;
  private uploaderStatus: UploaderStatus | null = null;
  private boxes: Boxes | null = null;
  private current: PultConfig;
  private readonly startedAtMs: number;
  private readonly access: SupervisorAccess;
  readonly deviceId: string;
  /** The one applicant session: every screen, key and box presses into it. */
  readonly session: Session;
  /** Resolves when the background integrity check is done (and any recovery it started). */
  readonly integrityChecked: Promise<void>;

  private constructor(
    private readonly dataDir: string,
    private readonly storage: Storage,
    private readonly lock: InstanceLock,
    config: PultConfig,
    private readonly configFile: string,
    private readonly clock: Clock,
    earlyNotices: StorageNotice[],
    private readonly onStorageNotice: ((notice: StorageNotice) => void) | undefined,
    private readonly log: Log,
  ) {
    this.current = config;
    this.startedAtMs = clock.wallMs();
    this.notices.push(...earlyNotices);
    earlyNotices.forEach((notice) => onStorageNotice?.(notice));
    this.deviceId = storage.meta.init('device_id', uuidv7());
    // What the running console uses, for `pult status` beside it (the endpoint only, never the token).
    storage.meta.write('sync_endpoint', config.sync?.endpoint ?? '');
    this.session = new Session({
      setup: config,
      clock,
      burst: { presses: config.misuse.burstPresses, withinMs: config.misuse.burstWithinMs },
      newId: uuidv7,
      storedBy: (pressId) => this.storage.storedBy(pressId),
      store: (answer, pressId) => this.storeAnswer(answer, pressId),
      onChange: (view) => this.emit('session', view),
    });
    this.access = new SupervisorAccess({
      gate: new PinGate(dataDir, () => clock.wallMs()),
      clock,
      idleMs: () => this.config.supervisor.idleMs,
      onPausing: (pausing) => void this.session.setPaused(pausing),
    });
    this.maintenance = setInterval(() => void this.storage.maintain().catch(() => undefined), MAINTENANCE_EVERY_MS);
    this.maintenance.unref();
    this.integrityChecked = storage
      .checkIntegrity()
      .catch((error: unknown) => this.notice({ kind: 'integrity_check_not_run', reason: String(error), atMs: clock.wallMs() }));
  }

  /** Starts draining the outbox to the collector, if the config names one. */
  private startSync(fetchImpl: typeof fetch): void {
    const { sync, office, window } = this.config;
    if (!sync?.token) return;
    const storage = this.storage;
    const device = { id: this.deviceId, office: office.id, window: window.id, appVersion: APP_VERSION, bootId: this.bootId };
    const outbox: OutboxPort = {
      next: (max, sentAt, offset) => storage.syncOutbox((o) => o.next(max, device, sentAt, offset)),
      settle: (batchId, verdict, atMs) => storage.syncOutbox((o) => o.settle(batchId, verdict, atMs)),
      quarantine: (batchId, reason, atMs) => storage.syncOutbox((o) => o.quarantine(batchId, reason, atMs)),
      dissolve: (batchId) => storage.syncOutbox((o) => o.dissolve(batchId)),
      heartbeat: () =>
        storage.syncOutbox((o, counts) => {
          const { outbox: depth, quarantine } = counts();
          return {
            outboxDepth: depth,
            oldestUnsentAt: o.oldestUnsentAt(),
            quarantineCount: quarantine,
            freeDiskBytes: freeDiskBytes(this.dataDir),
          };
        }),
    };
    this.uploader = createUploader({
      endpoint: sync.endpoint,
      token: sync.token,
      device,
      outbox,
      fetch: fetchImpl,
      now: () => Math.round(this.clock.wallMs()),
      intervalMs: sync.intervalMs,
      timeoutMs: sync.timeoutMs,
      gzip: async (body) => new Uint8Array(await gzip(body)),
      onDelivered: (batch) => this.log.info(batch, 'batch delivered'),
      onStatus: (status) => {
        if (status.lastError !== null && status.lastError !== this.uploaderStatus?.lastError)
          this.log.warn({ error: status.lastError, retryAt: status.retryAt }, 'sync failure');
        this.uploaderStatus = status;
        if (this.listeners.get('syncStatus')?.size)
          void this.getSyncStatus().then(
            (s) => this.emit('syncStatus', s),
            () => undefined,
          );
      },
    });
    this.uploader.start();
  }

  /** Reads the configured button boxes; each press goes into the one session. */
  private startBoxes(binding: SerialBinding, timing: Partial<BoxTiming> | undefined): void {
    this.boxes = new Boxes({
      boxes: this.config.boxes,
      flow: () => this.config.flow,
      binding,
      timing,
      press: (press) => this.pressFrom(press),
      screen: () => this.session.view().screen,
      onStatus: () => this.emitStatus(),
    });
    this.boxes.start();
  }

  /** Where this console's answers stand on their way to the collector. */
  async getSyncStatus(): Promise<SyncStatus> {
    const uploader = this.uploaderStatus;
    const { outbox, quarantine, oldest } = await this.storage.syncOutbox((o, counts) => ({
      ...counts(),
      oldest: o.oldestUnsentAt(),
    }));
    return {
      enabled: this.config.sync !== undefined,
      endpoint: this.config.sync?.endpoint ?? null,
      authorised: uploader?.authorised ?? null,
      outboxDepth: outbox,
      oldestUnsentAt: oldest,
      lastAckAt: uploader?.lastAckAt ?? null,
      lastError: uploader?.lastError ?? null,
      quarantineCount: quarantine,
      clockOffsetMs: uploader?.clockOffsetMs ?? null,
      retryAt: uploader?.retryAt ?? null,
    };
  }

  /** Takes the data directory's lock, opens (or recovers) the database and migrates it. */
  static async open(options: ServiceOptions): Promise<PultService> {
    const binding = options.config.boxes.length > 0 ? (options.binding ?? (await systemBinding())) : null;
    ensureWritableDataDir(options.dataDir);
    const lock = await acquireInstanceLock(options.dataDir);
    const clock = options.clock ?? systemClock;
    const early: StorageNotice[] = [];
    let service: PultService | null = null;
    try {
      const storage = Storage.open({
        dataDir: options.dataDir,
        timeZone: options.config.timeZone,
        sqlite: options.sqlite ?? {},
        wallMs: () => clock.wallMs(),
        onNotice: (notice) => (service ? service.notice(notice) : early.push(notice)),
      });
      const configFile = options.configFile ?? path.join(options.dataDir, CONFIG_FILE_IN_DATA_DIR);
      service = new PultService(
        options.dataDir,
        storage,
        lock,
        options.config,
        configFile,
        clock,
        early,
        options.onStorageNotice,
        options.log ?? silentLog,
      );
      service.startSync(options.fetch ?? fetch);
      if (binding) service.startBoxes(binding, options.boxTiming);
      return service;
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /** The config in force: the file's, with the supervisor's changes since the start. */
  get config(): PultConfig {
    return this.current;
  }

  getConsole(): ConsoleSetup {
    const { office, window, language, flow, timeouts, supervisor } = this.config;
    return { deviceId: this.deviceId, office, window, language, flow, timeouts, supervisorIdleMs: supervisor.idleMs };
  }

  getSession(): SessionView {
    return this.session.view();
  }

  /** A press on a screen (a touch or a key); the shell says which, the session decides what it means. */
  press(press: Press): Promise<PressReply> {
    return this.pressFrom({ id: press.id, screenId: press.screenId, source: press.via, action: press.action });
  }

  /** Any input's press: screens through `press`, button boxes through the core's box readers. */
  pressFrom(press: SessionPress): Promise<PressReply> {
    return this.session.press(press);
  }

  /**
   * The session's way to disk: stores one answer, resolves only after COMMIT. Not a contract
   * method — no shell can reach it; storage tests and benchmark seeding call it directly.
   */
  async storeAnswer(answer: ParsedAnswer, pressId: string): Promise<Appended> {
    const row = answerRow(answer, {
      id: uuidv7(),
      officeId: this.config.office.id,
      windowId: this.config.window.id,
      operatorId: null,
      createdAtMs: Math.round(this.clock.wallMs()),
      monoMs: this.clock.monoMs(),
      bootId: this.bootId,
    });
    const appended = await this.storage.append(row, pressId);
    if (appended.replayed) return appended;
    this.emitStatus();
    this.uploader?.kick();
    return appended;
  }

  getStatus(): Status {
    return {
      deviceId: this.deviceId,
      ...this.storage.status(),
      storageNotices: [...this.notices],
      boxes: this.boxes?.statuses() ?? [],
    };
  }

  /** Subscribes to an event. The session is a state: a new listener is given the current view at once. */
  on<E extends EventName>(event: E, listener: Listener<E>): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener as Listener<EventName>);
    this.listeners.set(event, set);
    if (event === 'session') (listener as Listener<'session'>)(this.session.view());
    return () => void set.delete(listener as Listener<EventName>);
  }

  /** Runs storage's periodic care now (file still on disk, WAL trimmed); a timer does it every 5 s. */
  maintainStorage(): Promise<void> {
    return this.storage.maintain();
  }

  private notice(notice: StorageNotice): void {
    this.notices.push(notice);
    this.onStorageNotice?.(notice);
    if (!this.closed) this.emitStatus();
  }

  /** The status is read only when a screen listens: a tap pays nothing for a status nobody shows. */
  private emitStatus(): void {
    if (this.listeners.get('status')?.size) this.emit('status', this.getStatus());
  }

  private emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    this.listeners.get(event)?.forEach((listener) => listener(payload));
  }

  // ── The supervisor screen (docs/supervisor.md). Every method but openSupervisor needs a live PIN session.

  async openSupervisor(pin: string, caller: Caller): Promise<OpenReply> {
    const opened = await this.access.openWith(pin, caller);
    if (!('token' in opened)) return opened;
    const { office, window, timeZone, supervisor } = this.config;
    return {
      status: 'open',
      ...opened,
      idleMs: supervisor.idleMs,
      console: { officeName: office.name, windowId: window.id, windowLabel: window.label, timeZone },
    };
  }

  closeSupervisor(token: string): { closed: boolean } {
    return { closed: this.access.close(token) };
  }

  /** The figures of a period (today and this window unless asked otherwise), and every window's totals. */
  getStats(token: string, asked: Period | undefined): StatsReply {
    this.access.check(token);
    const { config } = this;
    const today = officeToday(config.timeZone, this.clock.wallMs());
    const period = asked ?? { from: today, to: today, windowId: config.window.id };
    return this.storage.read((db) => ({
      period: periodStats(db, period),
      windows: windowStats(db, period),
      target: config.supervisor.target,
      windowId: config.window.id,
      today,
      openingHours: { from: config.openingHours.from, to: config.openingHours.to },
    }));
  }

  async getHealth(token: string): Promise<Health> {
    this.access.check(token);
    const status = this.getStatus();
    const lastScores = this.storage.read((db) => lastCsiScores(db, this.config.window.id, this.config.alerts.negativeStreak));
    const alerts = alertsOf({
      config: this.config,
      nowMs: this.clock.wallMs(),
      lastRatingMs: Math.max(status.lastAnswerAtMs ?? 0, this.startedAtMs),
      lastScores,
    });
    return { status, sync: await this.getSyncStatus(), alerts };
  }

  listExportFolders(token: string): ExportFolder[] {
    this.access.check(token);
    return exportFolders(this.dataDir, this.config.supervisor.exportFolders);
  }

  /** The period's answers of one window (or all) into an offered folder, as one file written by rename. */
  async exportPeriod(request: { token: string; period: Period; format: ExportFormat; folder: string }) {
    this.access.check(request.token);
    const folder = exportFolders(this.dataDir, this.config.supervisor.exportFolders).find((f) => f.path === request.folder);
    if (!folder) throw new InvalidInput(`"${request.folder}" is not one of the offered export folders`);
    if (folder.kind === 'data') fs.mkdirSync(folder.path, { recursive: true });
    const { period, format } = request;
    const bounds = officeDaysMs(period.from, period.to, this.config.timeZone);
    const name = `pult-${period.windowId ?? 'all'}-${period.from}_${period.to}.${format}`;
    return exportToFolder({ dataDir: this.dataDir, format, ...bounds, windowId: period.windowId }, folder.path, name);
  }

  getSettings(token: string): { settings: Settings; audit: AuditEntry[] } {
    this.access.check(token);
    return { settings: settingsOf(this.config), audit: this.storage.audit.newest() };
  }

  /** Validated by the config schema, written to the config file, applied now, audited. */
  async changeSettings(token: string, change: SettingsChange): Promise<ChangeReply> {
    const caller = this.access.check(token);
    const changed = changeSettings(this.configFile, this.config, change);
    const { made } = changed;
    if (!made) return changed.reply.applied ? { ...changed.reply, audit: this.storage.audit.newest() } : changed.reply;
    const atMs = Math.round(this.clock.wallMs());
    try {
      await this.storage.audit.append(made.audit.map((entry) => ({ ...entry, atMs, by: caller.who })));
    } catch (error) {
      made.undo(); // a change the log does not show is not made: the file goes back as it was
      throw error;
    }
    this.current = made.config;
    for (const entry of made.audit)
      this.log.info({ what: entry.what, from: entry.from, to: entry.to, by: caller.who }, 'settings changed');
    await this.session.reconfigure(made.config);
    this.emit('console', this.getConsole());
    return { applied: true, settings: settingsOf(this.config), audit: this.storage.audit.newest() };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.access.closeAll();
    this.session.close();
    await this.boxes?.stop();
    this.uploader?.stop();
    clearInterval(this.maintenance);
    await this.storage.close();
    await this.lock.release();
  }
}
