import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import type { StorageNotice } from '../../shared/contract.js';
import type { AuditEntry } from '../../shared/supervisor.js';
import { StorageError } from '../errors.js';
import type { AnswerRow } from './answers.js';
import { auditTable } from './audit.js';
import { countersTable } from './counters.js';
import {
  DATABASE_FILE,
  fileIdentity,
  moveAside,
  openDatabase,
  openWritable,
  quickCheck,
  removeDatabaseFiles,
  sameFile,
  type FileIdentity,
} from './database.js';
import { startIntegrityCheck, type IntegrityCheck } from './integrity.js';
import { ledger, type Appended } from './ledger.js';
import { metaTable } from './meta.js';
import { salvageAnswers } from './salvage.js';
import { syncOutbox } from './sync-outbox.js';
import { mkguOutbox, type ReadyForms } from './mkgu-outbox.js';
import { serialQueue } from '../serial.js';
import { asReadable, type ReadableDB } from './readable.js';
import { ensureWritableDataDir } from '../data-dir.js';
import { acquireInstanceLock, type InstanceLock } from './instance-lock.js';
import { newId } from '../ids.js';
import type { OutboxPort } from '../../sync/uploader.js';
import type { PacketAttempt } from '../../sync/mkgu-sender.js';
import type { Heartbeat, WireDevice } from '../../shared/wire.js';
import { headerProblem, readHeader } from './header.js';
import { isCorruption, type SqliteSetup } from './sqlite.js';

/** How long a write keeps retrying while another process holds a lock on the file. */
const BUSY_LIMIT_MS = 2_000;
/** How often storage checks that its file is still on disk and trims the WAL when quiet. */
const CARE_EVERY_MS = 5_000;
/** A checkpoint that truncates the WAL waits for this much quiet, so it never delays a tap. */
const QUIET_BEFORE_CHECKPOINT_MS = 2_000;

export interface StorageOptions {
  dataDir: string;
  timeZone: string;
  sqlite: SqliteSetup;
  wallMs: () => number;
  onNotice: (notice: StorageNotice) => void;
}

const isBusy = (error: unknown): boolean => /^SQLITE_(BUSY|LOCKED)/.test((error as { code?: string } | null)?.code ?? '');

export interface OutboxFigures {
  outboxDepth: number;
  oldestUnsentAt: number | null;
  quarantineCount: number;
}

type Tables = ReturnType<typeof tablesOf>;

/** What the heartbeat carries besides storage's own figures. */
export type HeartbeatFacts = Pick<Heartbeat, 'freeDiskBytes' | 'uptimeMs' | 'boxes' | 'office'>;

/** The statements of one open connection; rebuilt whenever the file is reopened. */
function tablesOf(db: Database.Database, timeZone: string) {
  return {
    ledger: ledger(db, timeZone),
    counters: countersTable(db),
    meta: metaTable(db),
    outbox: syncOutbox(db),
    audit: auditTable(db),
    mkgu: mkguOutbox(db),
  };
}

/**
 * The console's database, owned by one process. Writes are queued one at a time and never wait
 * inside SQLite (a foreign lock is retried asynchronously, so the event loop keeps running).
 * After every write (and every few seconds) it checks that the path still names the open file: a
 * database deleted under the console is written back from the open connection before anything
 * is acknowledged. A damaged file is moved aside and every answer that can be read is salvaged.
 */
export class Storage {
  readonly file: string;
  private db: Database.Database;
  private tables: Tables;
  private identity: { main: FileIdentity | null; wal: FileIdentity | null } = { main: null, wal: null };
  /** The open file, read for its header after every write; its size never shrinks (no VACUUM). */
  private guard: { fd: number | null; size: number; pageSize: number } = { fd: null, size: 0, pageSize: 0 };
  /** Every write, one at a time. */
  private readonly serially = serialQueue();
  private lastWriteAtMs = 0;
  private closed = false;
  private integrityCheck: IntegrityCheck | null = null;
  private careTimer: ReturnType<typeof setInterval> | null = null;

  private constructor(
    private readonly options: StorageOptions,
    opened: ReturnType<typeof openDatabase>,
    private readonly lock: InstanceLock,
  ) {
    this.file = path.join(options.dataDir, DATABASE_FILE);
    this.db = opened.db;
    this.tables = tablesOf(this.db, options.timeZone);
    this.rememberIdentity();
    if (opened.movedAside) this.salvageFrom(opened.movedAside.movedTo, opened.movedAside.reason);
  }

  /**
   * Takes the data directory (writable, else a clear refusal; its lock, else the other owner's
   * pid), then opens — or recovers — the database and migrates it. The lock goes with close().
   */
  static async open(options: StorageOptions): Promise<Storage> {
    ensureWritableDataDir(options.dataDir);
    const lock = await acquireInstanceLock(options.dataDir);
    try {
      return new Storage(options, openDatabase(options.dataDir, options.sqlite, { timeZone: options.timeZone }), lock);
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /** This console's id: made once, at its first start (or `pult init`), kept for good. */
  deviceId(): string {
    return this.tables.meta.init('device_id', newId());
  }

  get meta() {
    return this.tables.meta;
  }

  /** A small fact kept across restarts (the queue's visit), written in turn with the answers. */
  remember(key: string, value: string): Promise<void> {
    return this.serially(async () => {
      if (this.closed) throw new StorageError('failed', new Error('storage is closed'));
      this.tables.meta.write(key, value);
    });
  }

  /** Stores one answer row; resolves after COMMIT, with the file verified to be the one at the path. */
  append(row: AnswerRow, pressId: string, claim?: string): Promise<Appended> {
    return this.serially(async () => {
      if (this.closed) throw new StorageError('failed', new Error('storage is closed'));
      const appended = await this.writeWithRetry(row, pressId, claim);
      this.lastWriteAtMs = Date.now();
      // Deleted or damaged at any moment before this check (the COMMIT went to the open, unlinked
      // or overwritten file): the connection is written back to the path before the ack. A file
      // rebuilt from a damaged one may lack this very answer: it is stored again, then acknowledged.
      const rebuilt = this.keepFileOnDisk();
      if (!rebuilt) return appended;
      await rebuilt;
      return appended.replayed ? appended : { ...appended, seq: this.tables.ledger.keep(row, pressId, claim) };
    });
  }

  /** The answer a press stored, if it stored one (an indexed look-up in a small table). */
  storedBy(pressId: string): { id: string; seq: number } | null {
    return this.closed ? null : this.tables.ledger.storedBy(pressId);
  }

  status(): { answersStored: number; outboxPending: number; lastAnswerAtMs: number | null } {
    const { answers, outbox } = this.tables.counters.read();
    return { answersStored: answers, outboxPending: outbox, lastAnswerAtMs: this.tables.ledger.lastCreatedAtMs() };
  }

  /**
   * The outbox as the uploader meets it (sync/uploader.ts `OutboxPort`); each call runs in the
   * write queue, between taps. `device` is written into every batch; the heartbeat carries the
   * outbox's figures, the last answer's time and what `facts` adds (free disk, uptime, boxes).
   */
  outboxPort(device: WireDevice, facts: () => HeartbeatFacts): OutboxPort {
    const use = <T>(job: (outbox: Tables['outbox']) => T) => this.serially(async () => job(this.open().outbox));
    return {
      next: (max, sentAt, clockOffsetMs) => use((o) => o.next(max, device, sentAt, clockOffsetMs)),
      settle: (batchId, verdict, atMs) => use((o) => o.settle(batchId, verdict, atMs)),
      quarantine: (batchId, reason, atMs) => use((o) => o.quarantine(batchId, reason, atMs)),
      dissolve: (batchId) => use((o) => o.dissolve(batchId)),
      heartbeat: async () => ({ ...(await this.outboxFigures()), lastAnswerAt: this.status().lastAnswerAtMs, ...facts() }),
    };
  }

  /**
   * The ИАС МКГУ packets (core/mkgu.ts builds and signs them between these calls): each call runs
   * in the write queue, between taps, like the outbox's.
   */
  get mkgu() {
    const use = <T>(job: (packets: Tables['mkgu']) => T) => this.serially(async () => job(this.open().mkgu));
    return {
      ready: (maxForms: number, quietBeforeMs: number) => use((p) => p.ready(maxForms, quietBeforeMs)),
      keep: (packet: { id: string; body: string | null; ready: ReadyForms; atMs: number }) => use((p) => p.keep(packet)),
      next: () => use((p) => p.next()),
      pending: () => use((p) => p.pending()),
      record: (id: string, attempt: PacketAttempt) => use((p) => p.record(id, attempt)),
    };
  }

  /** How many answers wait, since when, and how many the collector refused: for the heartbeat and getSyncStatus alike. */
  outboxFigures(): Promise<OutboxFigures> {
    return this.serially(async () => {
      const tables = this.open();
      const { outbox, quarantine } = tables.counters.read();
      return { outboxDepth: outbox, oldestUnsentAt: tables.outbox.oldestUnsentAt(), quarantineCount: quarantine };
    });
  }

  /** The tables, or a refusal once closed. */
  private open(): Tables {
    if (this.closed) throw new StorageError('failed', new Error('storage is closed'));
    return this.tables;
  }

  /**
   * Reads on the console's own connection (statistics, alerts): synchronous, so between two writes.
   * Only reads: every write goes through the queue.
   */
  read<T>(use: (db: ReadableDB) => T): T {
    if (this.closed) throw new StorageError('failed', new Error('storage is closed'));
    try {
      return use(asReadable(this.db));
    } catch (error) {
      // A read that finds the file damaged starts its repair (in the write queue) and says so.
      if (isCorruption(error)) void this.serially(async () => this.closed || this.repairInPlace((error as Error).message));
      throw error;
    }
  }

  /** The settings audit log: entries written in the write queue, after everything queued before. */
  get audit() {
    return {
      append: (entries: AuditEntry[]) =>
        this.serially(async () => {
          if (this.closed) throw new StorageError('failed', new Error('storage is closed'));
          try {
            this.tables.audit.append(entries);
          } catch (error) {
            throw new StorageError('failed', error);
          }
        }),
      newest: () => (this.closed ? [] : this.tables.audit.newest()),
    };
  }

  /**
   * Starts storage's care of a running console: `maintain` every 5 s, and the full integrity check
   * in a process of its own now. Resolves when that check is done (and any repair it started); a check that
   * could not run is a notice.
   */
  startCare(): Promise<void> {
    this.careTimer = setInterval(() => void this.maintain().catch(() => undefined), CARE_EVERY_MS);
    this.careTimer.unref();
    return this.checkIntegrity().catch((error: unknown) =>
      this.options.onNotice({ kind: 'integrity_check_not_run', reason: String(error), atMs: this.options.wallMs() }),
    );
  }

  /** Periodic care: the file is still there, and a WAL grown behind a long reader is cut back. */
  maintain(): Promise<void> {
    return this.serially(async () => {
      if (this.closed) return;
      await this.keepFileOnDisk();
      if (Date.now() - this.lastWriteAtMs < QUIET_BEFORE_CHECKPOINT_MS) return;
      this.tables.ledger.prune(Date.now());
      this.tables.mkgu.prune(Date.now());
      this.checkpoint();
    });
  }

  /** Truncates the WAL if no reader needs it (returns at once otherwise). */
  checkpoint(): void {
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch (error) {
      if (!isBusy(error)) throw error;
    }
  }

  /** The full integrity check, in a process of its own; a damaged file is recovered while the console runs. */
  async checkIntegrity(): Promise<void> {
    const check = startIntegrityCheck(this.file, this.options.sqlite);
    this.integrityCheck = check;
    const verdict = await check.verdict;
    if (this.integrityCheck === check) this.integrityCheck = null;
    if (this.closed) return;
    if ('failed' in verdict) {
      this.options.onNotice({ kind: 'integrity_check_not_run', reason: verdict.failed, atMs: this.options.wallMs() });
      return;
    }
    const { problem } = verdict;
    if (problem) await this.serially(async () => this.closed || this.repairInPlace(problem));
  }

  /**
   * Stops the integrity checker first: left running, it would open the file after the console
   * stopped and leave a -wal and -shm beside it (and its reader would keep the WAL from being
   * removed by the last close). It is killed, not waited for (integrity.ts).
   */
  close(): Promise<void> {
    this.closed = true;
    if (this.careTimer) clearInterval(this.careTimer);
    return this.serially(async () => {
      await this.integrityCheck?.stop();
      if (this.db.open) this.db.close();
      this.closeGuard();
      await this.lock.release();
    });
  }

  private async writeWithRetry(row: AnswerRow, pressId: string, claim: string | undefined): Promise<Appended> {
    const started = Date.now();
    for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
      try {
        return this.tables.ledger.append(row, pressId, claim);
      } catch (error) {
        if (isCorruption(error)) {
          await this.repairInPlace((error as Error).message);
          return this.tables.ledger.append(row, pressId, claim);
        }
        if (!isBusy(error)) throw new StorageError('failed', error);
        if (Date.now() - started >= BUSY_LIMIT_MS) throw new StorageError('busy', error);
      }
      await sleep(wait);
    }
  }

  private rememberIdentity(): void {
    this.identity = { main: fileIdentity(this.file), wal: fileIdentity(`${this.file}-wal`) };
    this.closeGuard();
    this.guard = {
      fd: fs.openSync(this.file, 'r'),
      size: this.identity.main?.size ?? 0,
      pageSize: this.db.pragma('page_size', { simple: true }) as number,
    };
  }

  private closeGuard(): void {
    if (this.guard.fd !== null) fs.closeSync(this.guard.fd);
    this.guard.fd = null;
  }

  /**
   * Two stat calls and a 100-byte read; a promise only when the file has to be written back (the
   * tap path stays synchronous). Deleted or replaced: the path names another file. Damaged in
   * place (`cp garbage pult.sqlite`, a truncation, a broken header): the same file, but shorter
   * than it was or without a header of ours.
   */
  private keepFileOnDisk(): Promise<void> | undefined {
    const main = fileIdentity(this.file);
    const wal = fileIdentity(`${this.file}-wal`);
    if (this.identity.wal === null && wal !== null && sameFile(main, this.identity.main)) this.identity.wal = wal;
    const intact = sameFile(main, this.identity.main) && (this.identity.wal === null || sameFile(wal, this.identity.wal));
    if (!intact) return this.restoreDeletedFile();
    const damage = this.damageInPlace(main!.size);
    return damage ? this.repairInPlace(damage) : undefined;
  }

  private damageInPlace(size: number): string | null {
    if (size < this.guard.size) return `the file shrank from ${this.guard.size} to ${size} bytes`;
    this.guard.size = size;
    if (this.guard.fd === null) return null;
    return headerProblem(readHeader(this.guard.fd), this.guard.pageSize);
  }

  /**
   * The file was damaged in place while open. The connection still reads what it cached and
   * what is in the WAL (every recent answer): SQLite's backup copies that to a new file. A copy
   * that passes quick_check takes the path back; otherwise the copy (its header good) and the
   * damaged file are both salvaged into a fresh database. The damaged file is kept, never deleted.
   */
  private async repairInPlace(reason: string): Promise<void> {
    const copy = `${this.file}.restoring`;
    removeDatabaseFiles(copy);
    let whole = false;
    try {
      await this.db.backup(copy);
      // It reads every page: seconds at a million answers, once per damage.
      whole = quickCheck(copy, this.options.sqlite, { readonly: false }) === 'ok';
    } catch {
      whole = false; // the copy holds what could be read before the failure: salvaged below
    }
    this.db.close();
    this.closeGuard();
    const movedTo = moveAside(this.options.dataDir, this.file, `damaged-${DATABASE_FILE}`);
    if (whole) {
      fs.renameSync(copy, this.file);
      this.reopen();
      this.options.onNotice({ kind: 'restored_damaged_database', movedTo, reason, atMs: this.options.wallMs() });
      return;
    }
    const readable = fs.existsSync(copy) ? moveAside(this.options.dataDir, copy, `readable-${DATABASE_FILE}`) : null;
    this.reopen();
    this.salvageFrom(movedTo, reason, readable);
  }

  /**
   * The file (or its WAL) was deleted or replaced under the running console. The open connection
   * still reads everything, so SQLite's backup copies it to a new file that takes the path back.
   * Whatever now stands at the path is moved aside, never deleted.
   */
  private async restoreDeletedFile(): Promise<void> {
    const copy = `${this.file}.restoring`;
    fs.rmSync(copy, { force: true });
    await this.db.backup(copy);
    this.db.close();
    this.closeGuard();
    if (['', '-wal', '-shm'].some((suffix) => fs.existsSync(this.file + suffix)))
      moveAside(this.options.dataDir, this.file, `replaced-${DATABASE_FILE}`);
    fs.renameSync(copy, this.file);
    this.reopen();
    this.options.onNotice({ kind: 'restored_deleted_database', atMs: this.options.wallMs() });
  }

  private reopen(): void {
    this.db = openWritable(this.file, this.options.sqlite, { timeZone: this.options.timeZone });
    this.tables = tablesOf(this.db, this.options.timeZone);
    this.rememberIdentity();
  }

  /**
   * Every answer still readable in the damaged file (and, first, in the copy the connection could
   * still make of it), into this one: marked, queued, each id once. One notice for the event.
   */
  /** Damaged packets' rows that fail their table's checks are left behind: their forms are packed again. */
  private restorePackets(salvaged: ReturnType<ReturnType<typeof salvageAnswers>['packets']>): void {
    try {
      this.tables.mkgu.restore(salvaged);
    } catch {
      for (const packet of salvaged.packets)
        try {
          this.tables.mkgu.restore({ packets: [packet], forms: salvaged.forms.filter((f) => f.packet_id === packet.id) });
        } catch {
          // this packet's row is damaged beyond its CHECKs: its forms go again, with their foreign-ids
        }
    }
  }

  private salvageFrom(movedTo: string, reason: string, readableCopy: string | null = null): void {
    let salvaged = 0;
    let unreadable: number | null = null;
    let auditTaken = false;
    for (const source of readableCopy ? [readableCopy, movedTo] : [movedTo]) {
      const salvage = salvageAnswers(source, this.options.sqlite);
      try {
        salvaged += this.tables.ledger.appendRecovered(salvage.rows);
        this.restorePackets(salvage.packets());
        const audit: AuditEntry[] = auditTaken ? [] : salvage.audit();
        this.tables.audit.append(audit);
        auditTaken ||= audit.length > 0;
        unreadable ??= salvage.unreadable();
      } finally {
        salvage.close();
      }
    }
    this.rememberIdentity();
    this.options.onNotice({
      kind: 'recovered_from_corrupt_database',
      movedTo,
      reason,
      salvaged,
      unreadable: unreadable ?? 0,
      atMs: this.options.wallMs(),
    });
  }
}
