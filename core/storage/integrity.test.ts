import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { useTempDirs } from '../../tests/support/temp-dir.js';
import { startIntegrityCheck } from './integrity.js';
import { openSqlite } from './sqlite.js';

const tempDir = useTempDirs();

/** A statement that keeps SQLite busy for minutes inside one call, as quick_check does on a large cold file. */
const ENDLESS = 'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 10000000000) SELECT count(*) FROM n';

describe('the integrity check', () => {
  it('says ok for a sound file and names the damage of one that is not a database', async () => {
    const dir = tempDir();
    const sound = path.join(dir, 'sound.db');
    const db = openSqlite(sound, {});
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    db.close();
    expect(await startIntegrityCheck(sound, {}).verdict).toEqual({ problem: null });
    const damaged = path.join(dir, 'damaged.db');
    fs.writeFileSync(damaged, Buffer.alloc(8192, 7));
    const verdict = await startIntegrityCheck(damaged, {}).verdict;
    expect('problem' in verdict && verdict.problem).toMatch(/not a database/);
  });

  it('is stopped at once while SQLite is inside its check; the console closing after it leaves the file alone', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'pult.db');
    // The console's own connection stays open while its file is checked, as in storage.ts.
    const db = openSqlite(file, {});
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    const check = startIntegrityCheck(file, {}, ENDLESS);
    // Inside SQLite: the checker holds the file open (its statement comes straight after).
    const opened = () => fs.readdirSync(`/proc/${check.pid}/fd`).map((fd) => fs.readlinkSync(`/proc/${check.pid}/fd/${fd}`));
    await vi.waitFor(() => expect(opened()).toContain(file), { timeout: 10_000, interval: 20 });
    await check.stop();
    // Ended by the stop, not by the statement (which would run for minutes): a thread could not be.
    expect(await check.verdict).toEqual({ failed: 'integrity checker stopped by SIGKILL' });
    db.close();
    expect(fs.readdirSync(dir)).toEqual(['pult.db']);
    const reopened = openSqlite(file, {});
    expect(reopened.prepare('SELECT x FROM t').pluck().all()).toEqual([1]);
    reopened.close();
  });
});
