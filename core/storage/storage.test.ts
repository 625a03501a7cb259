import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { PultConfigSchema, DEMO_CONFIG } from '../../shared/config.js';
import { AnswerInputSchema } from '../../shared/answer.js';
import { PultService } from '../service.js';
import { DATABASE_FILE, openDatabase, openDatabaseReadOnly } from './database.js';
import { DatabaseFromFutureError, LATEST_SCHEMA_VERSION, migrate, type Migration } from './migrations.js';
import { acquireInstanceLock, DataDirInUseError } from './instance-lock.js';
import { useTempDirs } from '../../tests/support/temp-dir.js';
import { csiAnswer } from '../../tests/support/answers.js';

const tempDir = useTempDirs();
const config = PultConfigSchema.parse(DEMO_CONFIG);
const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('storage', () => {
  it('a fresh database is migrated to the latest schema, in WAL with synchronous=FULL', () => {
    const { db } = openDatabase(tempDir());
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
  });

  it('refuses a database from a newer Pult and does not change the file', () => {
    const dir = tempDir();
    const future = new Database(path.join(dir, DATABASE_FILE));
    future.exec('CREATE TABLE answers (x)');
    future.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    future.close();
    const before = sha(path.join(dir, DATABASE_FILE));
    expect(() => openDatabase(dir)).toThrow(DatabaseFromFutureError);
    expect(() => openDatabase(dir)).toThrow(
      expect.objectContaining({
        key: 'databaseFromFuture',
        params: expect.objectContaining({ found: LATEST_SCHEMA_VERSION + 1 }),
      }),
    );
    expect(() => openDatabaseReadOnly(dir)).toThrow(DatabaseFromFutureError);
    expect(sha(path.join(dir, DATABASE_FILE))).toBe(before);
  });

  it('runs each migration in a transaction: a failing one leaves the previous version intact', () => {
    const db = new Database(':memory:');
    const migrations: Migration[] = [
      { version: 1, name: 'one', sql: 'CREATE TABLE a (x)' },
      { version: 2, name: 'broken', sql: 'CREATE TABLE b (x); INSERT INTO nowhere VALUES (1)' },
    ];
    expect(() => migrate(db, migrations)).toThrow(/nowhere/);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'b'").pluck().get()).toBe(0);
  });

  it('refuses migrations that are out of order', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, [{ version: 2, name: 'skipped one', sql: '' }])).toThrow(/expected 1/);
  });

  it('moves a corrupt file aside, keeps it, and starts a fresh database', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, DATABASE_FILE), 'this is not a database, it is a stray text file'.repeat(200));
    const { db, recoveredFrom } = openDatabase(dir);
    expect(recoveredFrom?.movedTo).toMatch(/corrupt/);
    expect(fs.readFileSync(recoveredFrom!.movedTo, 'utf8')).toMatch(/^this is not a database/);
    expect(db.pragma('quick_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('stores the answer, its outbox entry and its rollup together; answers cannot be changed', () => {
    const service = PultService.open({ dataDir: tempDir(), config });
    const answer = AnswerInputSchema.parse(csiAnswer(5));
    const { seq, id } = service.recordAnswer(answer);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    const db = (service as unknown as { db: Database.Database }).db;
    expect(db.prepare('SELECT seq FROM outbox').pluck().all()).toEqual([seq]);
    expect(db.prepare('SELECT question, value, count FROM rollups').all()).toEqual([{ question: 'csi', value: '5', count: 1 }]);
    expect(() => db.prepare('UPDATE answers SET value = 1').run()).toThrow(/immutable/);
    expect(() => db.prepare('DELETE FROM answers').run()).toThrow(/never deleted/);
    service.close();
  });

  it('a failed write leaves no half: no answer without its outbox entry', () => {
    const service = PultService.open({ dataDir: tempDir(), config });
    const db = (service as unknown as { db: Database.Database }).db;
    db.exec("CREATE TRIGGER break_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");
    expect(() => service.recordAnswer(AnswerInputSchema.parse(csiAnswer(4)))).toThrow(/not stored: disk trouble/);
    expect(db.prepare('SELECT count(*) FROM answers').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM rollups').pluck().get()).toBe(0);
    service.close();
  });

  it('misuse is stored and queued for sync but not counted in the rollups', () => {
    const service = PultService.open({ dataDir: tempDir(), config });
    service.recordAnswer(AnswerInputSchema.parse(csiAnswer(5, { flags: ['misuse'] })));
    const db = (service as unknown as { db: Database.Database }).db;
    expect(db.prepare('SELECT flags FROM answers').pluck().get()).toBe('["misuse"]');
    expect(db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(1);
    expect(db.prepare('SELECT count(*) FROM rollups').pluck().get()).toBe(0);
    service.close();
  });

  it('files rollups under the office day and hour, not UTC', () => {
    const service = PultService.open({
      dataDir: tempDir(),
      config: { ...config, timeZone: 'Asia/Vladivostok' },
      clock: { wallMs: () => Date.UTC(2026, 10, 24, 20, 30), monoMs: () => 1 },
    });
    service.recordAnswer(AnswerInputSchema.parse(csiAnswer(4)));
    const db = (service as unknown as { db: Database.Database }).db;
    expect(db.prepare('SELECT day, hour FROM rollups').get()).toEqual({ day: '2026-11-25', hour: 6 });
    service.close();
  });

  it('one process owns a data directory; the lock goes with the process', () => {
    const dir = tempDir();
    const first = acquireInstanceLock(dir);
    expect(() => acquireInstanceLock(dir)).toThrow(DataDirInUseError);
    expect(() => acquireInstanceLock(dir)).toThrow(
      expect.objectContaining({ key: 'dataDirInUseByPid', pid: String(process.pid) }),
    );
    first.release();
    acquireInstanceLock(dir).release();
  });

  it('keeps the device id across restarts', () => {
    const dir = tempDir();
    const first = PultService.open({ dataDir: dir, config });
    const id = first.deviceId;
    first.close();
    const second = PultService.open({ dataDir: dir, config });
    expect(second.deviceId).toBe(id);
    second.close();
  });
});
