import { EventEmitter } from 'node:events';
import { v7 as uuidv7 } from 'uuid';
import type { ParsedAnswer } from '../shared/answer.js';
import type { PultConfig } from '../shared/config.js';
import type { ConsoleSetup, Status } from '../shared/contract.js';
import type { EventName } from '../shared/api-names.js';
import { AnswerStore } from './storage/answer-store.js';
import { acquireInstanceLock, type InstanceLock } from './storage/instance-lock.js';
import { openDatabase } from './storage/database.js';
import type Database from 'better-sqlite3';

export interface Clock {
  /** Wall clock: what the device believes the time is (it may be wrong). */
  wallMs(): number;
  /** Monotonic within this process run; orders answers even when the wall clock jumps. */
  monoMs(): number;
}

/** Storage could not complete a write: the answer was NOT stored (the transaction rolled back). */
export class StorageError extends Error {
  readonly code = 'storage_failure';
  constructor(cause: unknown) {
    super(`the answer was not stored: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StorageError';
  }
}

export const systemClock: Clock = { wallMs: () => Date.now(), monoMs: () => performance.now() };

/**
 * The console's core: owns the database and every rule about answers. Shells call it through
 * `invoke` (core/dispatch.ts), which has already parsed the input with the contract's schema.
 */
export class PultService {
  private readonly events = new EventEmitter();
  private readonly store: AnswerStore;
  private readonly bootId = uuidv7();
  readonly deviceId: string;

  private constructor(
    private readonly db: Database.Database,
    private readonly lock: InstanceLock,
    readonly config: PultConfig,
    private readonly storageNotice: Status['storageNotice'],
    private readonly clock: Clock,
  ) {
    this.store = new AnswerStore(db, config.timeZone);
    this.deviceId = this.store.initMeta('device_id', uuidv7());
  }

  /** Takes the data directory's lock, opens (or recovers) the database and migrates it. */
  static open(options: { dataDir: string; config: PultConfig; clock?: Clock }): PultService {
    const lock = acquireInstanceLock(options.dataDir);
    try {
      const { db, recoveredFrom } = openDatabase(options.dataDir);
      const clock = options.clock ?? systemClock;
      const notice = recoveredFrom
        ? { kind: 'recovered_from_corrupt_database' as const, movedTo: recoveredFrom.movedTo, atMs: clock.wallMs() }
        : null;
      return new PultService(db, lock, options.config, notice, clock);
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  getConsole(): ConsoleSetup {
    const { office, window, language, flow, timeouts } = this.config;
    return { deviceId: this.deviceId, office, window, language, flow, timeouts };
  }

  recordAnswer(answer: ParsedAnswer): { id: string; seq: number } {
    const recorded = this.appendOrFail(answer);
    this.emit('status', this.getStatus());
    return recorded;
  }

  private appendOrFail(answer: ParsedAnswer): { id: string; seq: number } {
    try {
      return this.store.append(answer, {
        id: uuidv7(),
        officeId: this.config.office.id,
        windowId: this.config.window.id,
        operatorId: null,
        createdAtMs: Math.round(this.clock.wallMs()),
        monoMs: this.clock.monoMs(),
        bootId: this.bootId,
      });
    } catch (error) {
      throw new StorageError(error);
    }
  }

  getStatus(): Status {
    return { deviceId: this.deviceId, ...this.store.counts(), storageNotice: this.storageNotice };
  }

  on(event: EventName, listener: (payload: Status) => void): () => void {
    this.events.on(event, listener);
    return () => this.events.off(event, listener);
  }

  private emit(event: EventName, payload: Status): void {
    this.events.emit(event, payload);
  }

  close(): void {
    if (this.db.open) this.db.close();
    this.lock.release();
  }
}
