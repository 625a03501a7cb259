import { v7 as uuidv7 } from 'uuid';
import type { ParsedAnswer, RecordedAnswer } from '../shared/answer.js';
import type { PultConfig } from '../shared/config.js';
import type { ConsoleSetup, EventName, EventPayload, Status, StorageNotice } from '../shared/contract.js';
import { answerRow } from './storage/answers.js';
import { acquireInstanceLock, type InstanceLock } from './storage/instance-lock.js';
import type { SqliteSetup } from './storage/sqlite.js';
import { Storage } from './storage/storage.js';

export interface Clock {
  /** Wall clock: what the device believes the time is (it may be wrong). */
  wallMs(): number;
  /** Monotonic within this process run; orders answers even when the wall clock jumps. */
  monoMs(): number;
}

export const systemClock: Clock = { wallMs: () => Date.now(), monoMs: () => performance.now() };

/** How often storage checks that its file is still on disk and trims the WAL when quiet. */
const MAINTENANCE_EVERY_MS = 5_000;

export interface ServiceOptions {
  dataDir: string;
  config: PultConfig;
  clock?: Clock;
  sqlite?: SqliteSetup;
  /** Told of every storage notice (a shell logs them for IT staff); also in getStatus(). */
  onStorageNotice?: (notice: StorageNotice) => void;
}

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
  readonly deviceId: string;
  /** Resolves when the background integrity check is done (and any recovery it started). */
  readonly integrityChecked: Promise<void>;

  private constructor(
    private readonly storage: Storage,
    private readonly lock: InstanceLock,
    readonly config: PultConfig,
    private readonly clock: Clock,
    earlyNotices: StorageNotice[],
    private readonly onStorageNotice: ((notice: StorageNotice) => void) | undefined,
  ) {
    this.notices.push(...earlyNotices);
    earlyNotices.forEach((notice) => onStorageNotice?.(notice));
    this.deviceId = storage.meta.init('device_id', uuidv7());
    this.maintenance = setInterval(() => void this.storage.maintain().catch(() => undefined), MAINTENANCE_EVERY_MS);
    this.maintenance.unref();
    this.integrityChecked = storage
      .checkIntegrity()
      .catch((error: unknown) => this.notice({ kind: 'integrity_check_not_run', reason: String(error), atMs: clock.wallMs() }));
  }

  /** Takes the data directory's lock, opens (or recovers) the database and migrates it. */
  static async open(options: ServiceOptions): Promise<PultService> {
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
      service = new PultService(storage, lock, options.config, clock, early, options.onStorageNotice);
      return service;
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  getConsole(): ConsoleSetup {
    const { office, window, language, flow, timeouts } = this.config;
    return { deviceId: this.deviceId, office, window, language, flow, timeouts };
  }

  /** Stores one answer; resolves only after COMMIT (a retried save of the same question returns the first). */
  async recordAnswer(answer: ParsedAnswer): Promise<RecordedAnswer> {
    const row = answerRow(answer, {
      id: uuidv7(),
      officeId: this.config.office.id,
      windowId: this.config.window.id,
      operatorId: null,
      createdAtMs: Math.round(this.clock.wallMs()),
      monoMs: this.clock.monoMs(),
      bootId: this.bootId,
    });
    const { seq, id } = await this.storage.append(row);
    this.emitStatus();
    return { seq, id };
  }

  getStatus(): Status {
    return { deviceId: this.deviceId, ...this.storage.status(), storageNotices: [...this.notices] };
  }

  on<E extends EventName>(event: E, listener: Listener<E>): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener as Listener<EventName>);
    this.listeners.set(event, set);
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

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.maintenance);
    await this.storage.close();
    await this.lock.release();
  }
}
