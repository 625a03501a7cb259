import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fork } from 'node:child_process';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { PultConfigSchema, DEMO_CONFIG } from '../../shared/config.js';
import { AnswerInputSchema } from '../../shared/answer.js';
import { PultService } from '../service.js';
import { systemClock } from '../clock.js';
import { DATABASE_FILE, openDatabase, openDatabaseReadOnly, WAL_SIZE_LIMIT_BYTES } from './database.js';
import { DatabaseFromFutureError, LATEST_SCHEMA_VERSION, migrate, MIGRATIONS, type Migration } from './migrations.js';
import { acquireInstanceLock, DataDirInUseError } from './instance-lock.js';
import { answerRow } from './answers.js';
import { ledger } from './ledger.js';
import { PRESSES_KEPT } from './presses.js';
import { useTempDirs } from '../../tests/support/temp-dir.js';
import { csiAnswer } from '../../tests/support/answers.js';

const tempDir = useTempDirs();
const HOLD_LOCK = new URL('../../tests/support/hold-lock.ts', import.meta.url).pathname;
const config = PultConfigSchema.parse(DEMO_CONFIG);
const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
/** The console's own connection, through storage's public reader (statistics use it the same way). */
const dbOf = (service: PultService): Database.Database => service.storage.read((db) => db);
const record = (service: PultService, value = 5, extra = {}) =>
  service.storeAnswer(AnswerInputSchema.parse(csiAnswer(value, extra)), crypto.randomUUID());
const peek = <T>(dir: string, sql: string): T => {
  const db = new Database(path.join(dir, DATABASE_FILE), { readonly: true });
  try {
    return db.prepare(sql).pluck().get() as T;
  } finally {
    db.close();
  }
};

describe('storage: schema and durability settings', () => {
  it('a fresh database is migrated to the latest schema, in WAL with synchronous=FULL and a bounded WAL', () => {
    const { db } = openDatabase(tempDir(), {});
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('journal_size_limit', { simple: true })).toBe(WAL_SIZE_LIMIT_BYTES);
    db.close();
  });

  it('refuses a database from a newer Pult and does not change the file', () => {
    const dir = tempDir();
    const future = new Database(path.join(dir, DATABASE_FILE));
    future.exec('CREATE TABLE answers (x)');
    future.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    future.close();
    const before = sha(path.join(dir, DATABASE_FILE));
    expect(() => openDatabase(dir, {})).toThrow(DatabaseFromFutureError);
    expect(() => openDatabase(dir, {})).toThrow(
      expect.objectContaining({
        kind: 'databaseFromFuture',
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

  it('migration 2 seeds the counters from a version-1 database with answers in it', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS_UP_TO(1));
    const v1 = ledgerFreeInsert(db);
    v1(3);
    migrate(db);
    expect(db.prepare('SELECT name, value FROM counters ORDER BY name').all()).toEqual([
      { name: 'answers', value: 3 },
      { name: 'outbox', value: 3 },
      { name: 'quarantine', value: 0 },
    ]);
  });
});

describe('storage: the tap write', () => {
  it('stores the answer, its outbox entry and its rollup together; answers cannot be changed', async () => {
    const service = await PultService.open({ dataDir: tempDir(), config });
    const { seq, id } = await record(service, 5);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    const db = dbOf(service);
    expect(db.prepare('SELECT seq FROM outbox').pluck().all()).toEqual([seq]);
    expect(db.prepare('SELECT question, value, count FROM rollups').all()).toEqual([{ question: 'csi', value: '5', count: 1 }]);
    expect(() => db.prepare('UPDATE answers SET value = 1').run()).toThrow(/immutable/);
    expect(() => db.prepare('DELETE FROM answers').run()).toThrow(/never deleted/);
    await service.close();
  });

  it('a failed write leaves no half: no answer without its outbox entry', async () => {
    const service = await PultService.open({ dataDir: tempDir(), config });
    const db = dbOf(service);
    db.exec("CREATE TRIGGER break_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");
    await expect(record(service, 4)).rejects.toThrow(/not stored: disk trouble/);
    expect(db.prepare('SELECT count(*) FROM answers').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM rollups').pluck().get()).toBe(0);
    expect(service.status.read()).toMatchObject({ answersStored: 0, outboxPending: 0 });
    await service.close();
  });

  it('misuse is stored and queued for sync, never counted as an answer, but counted as misuse', async () => {
    const service = await PultService.open({ dataDir: tempDir(), config });
    await record(service, 5, { flags: ['misuse'] });
    const db = dbOf(service);
    expect(db.prepare('SELECT flags FROM answers').pluck().get()).toBe('["misuse"]');
    expect(db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(1);
    expect(db.prepare('SELECT question, value, count FROM rollups').all()).toEqual([
      { question: 'misuse', value: 'csi', count: 1 },
    ]);
    await service.close();
  });

  it('a database from before misuse was counted gets its misuse counted once, at the first start', async () => {
    const dataDir = tempDir();
    const service = await PultService.open({ dataDir, config });
    await record(service, 5, { flags: ['misuse'] });
    await record(service, 4);
    const db = dbOf(service);
    db.prepare("DELETE FROM rollups WHERE question = 'misuse'").run(); // as an older Pult left it
    db.prepare("DELETE FROM meta WHERE key = 'rollups_count_misuse'").run();
    db.pragma('user_version = 7'); // the schema of the Pult before misuse had its count
    await service.close();
    for (let start = 0; start < 2; start++) await (await PultService.open({ dataDir, config })).close();
    expect(peek(dataDir, "SELECT sum(count) FROM rollups WHERE question = 'misuse'")).toBe(1);
    expect(peek(dataDir, "SELECT sum(count) FROM rollups WHERE question = 'csi'")).toBe(1);
  });

  it('files rollups under the office day and hour, not UTC', async () => {
    const service = await PultService.open({
      dataDir: tempDir(),
      config: { ...config, timeZone: 'Asia/Vladivostok' },
      clock: { ...systemClock, wallMs: () => Date.UTC(2026, 10, 24, 20, 30) },
    });
    await record(service, 4);
    expect(dbOf(service).prepare('SELECT day, hour FROM rollups').get()).toEqual({ day: '2026-11-25', hour: 6 });
    await service.close();
  });

  it('a retried save of the same question in the same response stores it once (the first reply was lost)', async () => {
    const service = await PultService.open({ dataDir: tempDir(), config });
    const responseId = crypto.randomUUID();
    const first = await record(service, 2, { responseId });
    const retry = await record(service, 2, { responseId });
    expect(retry).toEqual({ ...first, replayed: true });
    const misuse = await record(service, 2, { responseId, flags: ['misuse'] });
    expect(misuse.seq).toBe(first.seq + 1);
    expect(service.status.read()).toMatchObject({ answersStored: 2, outboxPending: 2 });
    await service.close();
  });

  it('a press that stored an answer is remembered across a restart: sent again, it stores nothing', async () => {
    const dataDir = tempDir();
    const pressId = crypto.randomUUID();
    const before = await PultService.open({ dataDir, config });
    const first = await before.storeAnswer(AnswerInputSchema.parse(csiAnswer(4)), pressId);
    await before.close();
    const after = await PultService.open({ dataDir, config });
    // The session after the restart would make a new response of it: the press id still catches it.
    const again = await after.storeAnswer(AnswerInputSchema.parse(csiAnswer(4)), pressId);
    expect(again).toEqual({ ...first, replayed: true });
    expect(after.status.read().answersStored).toBe(1);
    await after.close();
  });

  it('remembers the last presses only: older ones are pruned when the console is quiet', async () => {
    const dataDir = tempDir();
    const service = await PultService.open({ dataDir, config });
    const db = dbOf(service);
    db.prepare('INSERT INTO presses (press_id, seq) VALUES (?, ?), (?, ?)').run('old', 1, 'new', PRESSES_KEPT + 5);
    await service.storage.maintain();
    expect(db.prepare('SELECT press_id FROM presses').pluck().all()).toEqual(['new']);
    await service.close();
  });

  it('the status counts are kept in the write, not counted: they stay true as the outbox drains', async () => {
    const service = await PultService.open({ dataDir: tempDir(), config });
    for (let i = 0; i < 25; i++) await record(service, 1 + (i % 5));
    dbOf(service).exec('DELETE FROM outbox WHERE seq <= 10'); // what the uploader does on an acknowledgement
    const db = dbOf(service);
    expect(service.status.read()).toMatchObject({
      answersStored: db.prepare('SELECT count(*) FROM answers').pluck().get(),
      outboxPending: db.prepare('SELECT count(*) FROM outbox').pluck().get(),
    });
    expect(service.status.read()).toMatchObject({ answersStored: 25, outboxPending: 15 });
    await service.close();
  });

  it('a foreign lock on the file does not freeze the process: the write waits asynchronously, then lands', async () => {
    const dir = tempDir();
    const service = await PultService.open({ dataDir: dir, config });
    const foreign = new Database(path.join(dir, DATABASE_FILE));
    foreign.exec('BEGIN IMMEDIATE'); // e.g. an admin's sqlite3 shell in the middle of a write
    const pending = record(service, 3);
    // This timer can only fire if the event loop is free while the write waits for the lock.
    await new Promise<void>((resolve) => setTimeout(resolve, 50));
    foreign.exec('COMMIT');
    foreign.close();
    await expect(pending).resolves.toMatchObject({ seq: 1 });
    await service.close();
  });

  it('a foreign lock that is never released fails the write with a typed error, and nothing is stored', async () => {
    const dir = tempDir();
    const service = await PultService.open({ dataDir: dir, config });
    const foreign = new Database(path.join(dir, DATABASE_FILE));
    foreign.exec('BEGIN IMMEDIATE');
    await expect(record(service, 3)).rejects.toMatchObject({ code: 'storage_failure', reason: 'busy' });
    foreign.exec('ROLLBACK');
    foreign.close();
    expect(service.status.read().answersStored).toBe(0);
    await expect(record(service, 3)).resolves.toMatchObject({ seq: 1 });
    await service.close();
  });
});

describe('storage: nothing acknowledged is lost', () => {
  it('the database deleted under a running console is written back before the next acknowledgement', async () => {
    const dir = tempDir();
    const service = await PultService.open({ dataDir: dir, config });
    const before = [await record(service, 5), await record(service, 4)];
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(path.join(dir, DATABASE_FILE + suffix), { force: true });
    const after = [await record(service, 3), await record(service, 2)];
    expect(service.status.read().storageNotices.map((n) => n.kind)).toEqual(['restored_deleted_database']);
    await service.close();

    const reopened = await PultService.open({ dataDir: dir, config });
    const ids = dbOf(reopened).prepare('SELECT id FROM answers ORDER BY seq').pluck().all();
    expect(ids).toEqual([...before, ...after].map((a) => a.id));
    await reopened.close();
  });

  it('a closed console leaves its files alone: the integrity check is stopped, not left to open the file later', async () => {
    const dir = tempDir();
    const service = await PultService.open({ dataDir: dir, config });
    await record(service, 5);
    await service.close();
    const closedFiles = fs.readdirSync(dir).sort();
    await service.integrityChecked;
    expect(fs.readdirSync(dir).sort()).toEqual(closedFiles);
    expect(closedFiles).not.toContain(`${DATABASE_FILE}-shm`);
  });

  it('a deletion while nobody taps is noticed by the periodic check; a file put in its place is kept aside', async () => {
    const dir = tempDir();
    const service = await PultService.open({ dataDir: dir, config });
    const stored = await record(service, 5);
    fs.rmSync(path.join(dir, DATABASE_FILE));
    fs.writeFileSync(path.join(dir, DATABASE_FILE), 'someone else wrote here');
    await service.storage.maintain();
    await service.close();
    expect(peek(dir, 'SELECT id FROM answers')).toBe(stored.id);
    const aside = fs.readdirSync(path.join(dir, 'corrupt'));
    expect(aside.some((name) => name.endsWith(`replaced-${DATABASE_FILE}`))).toBe(true);
  });

  it('the WAL grown behind a long reader (an export) is cut back once the reader is gone', async () => {
    const dir = tempDir();
    const service = await PultService.open({ dataDir: dir, config });
    await record(service, 5);
    const reader = new Database(path.join(dir, DATABASE_FILE), { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM answers').get(); // holds its snapshot: no checkpoint can finish
    for (let i = 0; i < 400; i++) await record(service, 1 + (i % 5));
    const wal = path.join(dir, `${DATABASE_FILE}-wal`);
    expect(fs.statSync(wal).size).toBeGreaterThan(WAL_SIZE_LIMIT_BYTES);
    reader.exec('COMMIT');
    reader.close();
    dbOf(service).pragma('wal_checkpoint(TRUNCATE)'); // what maintain() does after 2 s of quiet
    await record(service, 5);
    expect(fs.statSync(wal).size).toBeLessThanOrEqual(WAL_SIZE_LIMIT_BYTES);
    await service.close();
  });
});

describe('storage: a damaged file', () => {
  it('a file that is not a database is moved aside (kept) and a fresh database started', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, DATABASE_FILE), 'this is not a database, it is a stray text file'.repeat(200));
    const service = await PultService.open({ dataDir: dir, config });
    const [notice] = service.status.read().storageNotices;
    expect(notice).toMatchObject({ kind: 'recovered_from_corrupt_database', salvaged: 0 });
    if (notice?.kind !== 'recovered_from_corrupt_database') throw new Error('no notice');
    expect(fs.readFileSync(notice.movedTo, 'utf8')).toMatch(/^this is not a database/);
    await expect(record(service, 5)).resolves.toMatchObject({ seq: 1 });
    await service.close();
  });

  it('damaged pages cost only their rows: the rest is salvaged, marked, queued for sync and counted once', async () => {
    const dir = tempDir();
    const first = await PultService.open({ dataDir: dir, config });
    for (let i = 0; i < 1500; i++) await record(first, 1 + (i % 5));
    const change = { atMs: 1, what: 'windowLabel', from: '"1"', to: '"2"', by: 'console' };
    dbOf(first).prepare('INSERT INTO audit (at_ms, what, before, after, by) VALUES (@atMs, @what, @from, @to, @by)').run(change);
    // An ИАС МКГУ packet already accepted, and its form: after the salvage it is still known as sent.
    dbOf(first)
      .prepare(
        "INSERT INTO mkgu_packets (id, created_at_ms, forms, body, status, attempts, reply_status, reply, settled_at_ms) VALUES ('p1', 1, 1, '<x/>', 'accepted', 1, 200, '<ok/>', 2)",
      )
      .run();
    dbOf(first).prepare("INSERT INTO mkgu_forms (response_id, packet_id) VALUES ('r1', 'p1')").run();
    await first.close();

    const file = path.join(dir, DATABASE_FILE);
    const inspect = new Database(file, { readonly: true });
    const leaves = inspect
      .prepare("SELECT pageno, ncell FROM dbstat WHERE name = 'answers' AND pagetype = 'leaf' ORDER BY pageno")
      .all() as { pageno: number; ncell: number }[];
    const pageSize = inspect.pragma('page_size', { simple: true }) as number;
    inspect.close();
    const damaged = leaves.slice(Math.floor(leaves.length / 2), Math.floor(leaves.length / 2) + 3);
    const handle = fs.openSync(file, 'r+');
    for (const { pageno } of damaged) fs.writeSync(handle, Buffer.alloc(pageSize, 0xff), 0, pageSize, (pageno - 1) * pageSize);
    fs.closeSync(handle);
    const lost = damaged.reduce((sum, page) => sum + page.ncell, 0);

    // The page header of the file is intact: it opens, and the background check finds the damage.
    const service = await PultService.open({ dataDir: dir, config });
    await service.integrityChecked;
    const notice = service.status.read().storageNotices.find((n) => n.kind === 'recovered_from_corrupt_database');
    expect(notice).toMatchObject({ salvaged: 1500 - lost });
    const db = dbOf(service);
    expect(db.prepare('SELECT count(*) FROM answers WHERE recovered_from IS NOT NULL').pluck().get()).toBe(1500 - lost);
    expect(db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(1500 - lost);
    expect(db.prepare("SELECT sum(count) FROM rollups WHERE question = 'csi'").pluck().get()).toBe(1500 - lost);
    // The settings audit log comes along (it is not in the damaged pages).
    expect(db.prepare('SELECT at_ms AS atMs, what, before AS "from", after AS "to", by FROM audit').all()).toEqual([change]);
    expect(
      db.prepare('SELECT p.status, p.reply, f.response_id FROM mkgu_packets p JOIN mkgu_forms f ON f.packet_id = p.id').all(),
    ).toEqual([{ status: 'accepted', reply: '<ok/>', response_id: 'r1' }]);

    // Salvaging the same file again adds nothing: every id is there once.
    const again = ledger(db, config.timeZone).appendRecovered(
      db
        .prepare('SELECT * FROM answers')
        .all()
        .map((row) => ({ ...(row as Record<string, unknown>) }) as never),
    );
    expect(again).toBe(0);
    await record(service, 5);
    expect(service.status.read().answersStored).toBe(1500 - lost + 1);
    await service.close();
  });
});

describe('storage: one owner per data directory', () => {
  it('a second owner is refused, with the first one’s pid', async () => {
    const dir = tempDir();
    const first = await acquireInstanceLock(dir);
    await expect(acquireInstanceLock(dir)).rejects.toThrow(DataDirInUseError);
    await expect(acquireInstanceLock(dir)).rejects.toMatchObject({ kind: 'dataDirInUseByPid', pid: String(process.pid) });
    await first.release();
    await (await acquireInstanceLock(dir)).release();
  });

  it('deleting every file in the data directory does not take the lock away', async () => {
    const dir = tempDir();
    const service = await PultService.open({ dataDir: dir, config });
    for (const name of fs.readdirSync(dir))
      if (!name.startsWith(DATABASE_FILE)) fs.rmSync(path.join(dir, name), { recursive: true });
    await expect(PultService.open({ dataDir: dir, config })).rejects.toThrow(DataDirInUseError);
    await service.close();
  });

  it('the lock goes with the process, even when it is killed', async () => {
    const dir = tempDir();
    const holder = fork(HOLD_LOCK, [dir], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
    await expect(acquireInstanceLock(dir)).rejects.toMatchObject({ pid: String(holder.pid) });
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    await (await acquireInstanceLock(dir)).release();
  });

  it('keeps the device id across restarts', async () => {
    const dir = tempDir();
    const first = await PultService.open({ dataDir: dir, config });
    const id = first.deviceId;
    await first.close();
    const second = await PultService.open({ dataDir: dir, config });
    expect(second.deviceId).toBe(id);
    await second.close();
  });
});

const MIGRATIONS_UP_TO = (version: number) => MIGRATIONS.filter((m) => m.version <= version);
/** Inserts answers the way a version-1 Pult did (no counters yet). */
function ledgerFreeInsert(db: Database.Database) {
  return (count: number) => {
    for (let i = 0; i < count; i++) {
      const row = answerRow(AnswerInputSchema.parse(csiAnswer(5)), {
        id: crypto.randomUUID(),
        officeId: 'o',
        windowId: 'w',
        operatorId: null,
        createdAtMs: 1,
        monoMs: 1,
        bootId: 'b',
      });
      const { recovered_from: _skipped, service_id: _later, ...v1 } = row; // columns version 1 did not have
      const columns = Object.keys(v1);
      const { lastInsertRowid } = db
        .prepare(`INSERT INTO answers (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`)
        .run(v1);
      db.prepare('INSERT INTO outbox (seq) VALUES (?)').run(lastInsertRowid);
    }
  };
}

describe('storage: a file damaged in place under the running console', () => {
  const damage = {
    'overwritten with garbage (cp garbage pult.sqlite)': (file: string) =>
      fs.writeFileSync(file, crypto.randomBytes(fs.statSync(file).size)),
    'its first 100 bytes overwritten': (file: string) => {
      const fd = fs.openSync(file, 'r+');
      fs.writeSync(fd, crypto.randomBytes(100), 0, 100, 0);
      fs.closeSync(fd);
    },
    'truncated to nothing': (file: string) => fs.truncateSync(file, 0),
  };

  it.each(Object.entries(damage))(
    '%s: noticed at the next tap, written back, every acknowledged answer kept',
    async (_how, spoil) => {
      const dir = tempDir();
      const service = await PultService.open({ dataDir: dir, config });
      const before: { id: string }[] = [];
      for (let i = 0; i < 300; i++) before.push(await record(service, 1 + (i % 5)));
      dbOf(service).pragma('wal_checkpoint(TRUNCATE)'); // everything in the main file, as after a quiet moment
      spoil(path.join(dir, DATABASE_FILE));
      const after = [await record(service, 5), await record(service, 4), await record(service, 3), await record(service, 2)];
      // Written back whole when the connection still held every page; otherwise what it held (the
      // recent answers at least) and what the damaged file still has are salvaged. Either way, said once.
      const notices = service.status.read().storageNotices;
      expect(notices.length).toBeGreaterThan(0);
      expect(notices.every((n) => n.kind === 'restored_damaged_database' || n.kind === 'recovered_from_corrupt_database')).toBe(
        true,
      );
      expect(new Set(notices.map((n) => ('reason' in n ? n.reason : '')))).toHaveProperty('size', 1);
      expect(fs.readdirSync(path.join(dir, 'corrupt')).some((name) => name.endsWith(`damaged-${DATABASE_FILE}`))).toBe(true);
      await service.close();

      // A restart and an export see every answer the screen acknowledged, before and after the damage.
      const reopened = await PultService.open({ dataDir: dir, config });
      await reopened.integrityChecked;
      expect(reopened.status.read().storageNotices).toEqual([]);
      const ids = dbOf(reopened).prepare('SELECT id FROM answers ORDER BY seq').pluck().all();
      expect(ids).toEqual([...before, ...after].map((a) => a.id));
      await reopened.close();
    },
  );

  it('while nobody taps, the periodic check notices a damaged header and writes the file back', async () => {
    const dir = tempDir();
    const service = await PultService.open({ dataDir: dir, config });
    for (let i = 0; i < 50; i++) await record(service, 5);
    const file = path.join(dir, DATABASE_FILE);
    dbOf(service).pragma('wal_checkpoint(TRUNCATE)');
    damage['its first 100 bytes overwritten'](file);
    await service.storage.maintain();
    expect(service.status.read().storageNotices.map((n) => n.kind)).toEqual(['restored_damaged_database']);
    expect(service.status.read().answersStored).toBe(50);
    await service.close();
  });
});

describe('storage: salvaging a file whose header is broken', () => {
  it('rebuilds the header and reads every answer (overwriting 100 bytes used to cost all of them)', async () => {
    const dir = tempDir();
    const first = await PultService.open({ dataDir: dir, config });
    const stored: string[] = [];
    for (let i = 0; i < 1072; i++) stored.push((await record(first, 1 + (i % 5))).id);
    await first.close();
    const file = path.join(dir, DATABASE_FILE);
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(100, 0x41), 0, 100, 0);
    fs.closeSync(fd);

    const service = await PultService.open({ dataDir: dir, config });
    const notice = service.status.read().storageNotices[0];
    expect(notice).toMatchObject({ kind: 'recovered_from_corrupt_database', salvaged: 1072, unreadable: 0 });
    const ids = dbOf(service).prepare('SELECT id FROM answers ORDER BY seq').pluck().all();
    expect(ids).toEqual(stored);
    // The damaged file is kept as it was; the rebuilt copy is not left behind.
    const aside = fs.readdirSync(path.join(dir, 'corrupt'));
    expect(aside.filter((name) => name.endsWith(DATABASE_FILE))).toHaveLength(1);
    expect(aside.some((name) => name.includes('header-rebuilt'))).toBe(false);
    await service.close();
  });
});
