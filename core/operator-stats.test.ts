import crypto from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEMO_CONFIG, PultConfigSchema } from '../shared/config.js';
import { officeDayOf } from '../shared/office-time.js';
import { readOperatorStats } from './stats.js';
import { DATABASE_FILE, openDatabase } from './storage/database.js';
import { migrate, MIGRATIONS } from './storage/migrations.js';
import { seedOperators, seedScores, TEN_OPERATORS } from '../tests/support/operators.js';
import { useTempDirs } from '../tests/support/temp-dir.js';

/**
 * The operators' tab's figures (issue 18), checked against numbers worked out here from the seed
 * itself: Wilson's interval and the shrunk score (k + m·s) / (n + s) by their formulas.
 */
const tempDir = useTempDirs();
const config = PultConfigSchema.parse(DEMO_CONFIG);
const ZONE = config.timeZone;
const NOON = Date.parse('2026-11-18T09:00:00Z'); // 12:00 in Moscow
const DAY = officeDayOf(NOON, ZONE);

const query = { from: DAY, to: DAY, criterion: 'csi' as const, priorStrength: 40 };

describe("operators' figures", () => {
  it('shrink each share towards the pooled one by (k + m·s)/(n + s), rank only from 100 ratings, keep repeats and unbound apart', async () => {
    const dataDir = tempDir();
    await seedOperators(dataDir, TEN_OPERATORS, { atMs: NOON, unbound: 7, repeats: 3 });
    const stats = readOperatorStats(dataDir, query);

    const n = TEN_OPERATORS.reduce((sum, o) => sum + o.n, 0);
    const k = TEN_OPERATORS.reduce((sum, o) => sum + o.satisfied, 0);
    const m = k / n;
    expect(stats.pooledShare).toBeCloseTo(m, 12);
    expect(stats.unbound).toBe(7);
    expect(stats.repeats).toBe(3);
    expect(stats.operators).toHaveLength(10);
    for (const seed of TEN_OPERATORS) {
      const row = stats.operators.find((o) => o.operatorId === seed.operatorId)!;
      expect(row.name).toBe(seed.name);
      expect(row.figures.n).toBe(seed.n); // the repeats of op-01 are not in its figures
      expect(row.figures.satisfied).toBe(seed.satisfied);
      expect(row.figures.shrunk).toBeCloseTo((seed.satisfied + m * 40) / (seed.n + 40), 12);
      const scores = seedScores(seed);
      expect(row.figures.mean).toBeCloseTo(scores.reduce((a, b) => a + b, 0) / seed.n, 12);
      expect(row.figures.ranked).toBe(seed.n >= 100);
      expect(row.figures.small).toBe(seed.n < 30);
      expect(row.figures.interval.low).toBeLessThanOrEqual(row.figures.share);
      expect(row.figures.interval.high).toBeGreaterThanOrEqual(row.figures.share);
    }
    // Places: the ranked by shrunk score, 1, 2, 3…; the new operator's twelve perfect ratings win no place.
    const ranked = TEN_OPERATORS.filter((o) => o.n >= 100)
      .map((o) => ({ id: o.operatorId, shrunk: (o.satisfied + m * 40) / (o.n + 40) }))
      .sort((a, b) => b.shrunk - a.shrunk);
    expect(stats.operators.slice(0, ranked.length).map((o) => [o.operatorId, o.place])).toEqual(
      ranked.map((o, i) => [o.id, i + 1]),
    );
    const newcomer = stats.operators.find((o) => o.operatorId === 'op-10')!;
    expect(newcomer.figures.share).toBe(1);
    expect(newcomer.place).toBeNull();
    expect(newcomer.figures.shrunk).toBeLessThan(stats.operators.find((o) => o.operatorId === 'op-02')!.figures.shrunk);
    // By service: the busy operator's tickets were all for one named service.
    expect(stats.operators.find((o) => o.operatorId === 'op-01')!.services).toEqual([
      expect.objectContaining({
        serviceId: '7700000010000000001',
        name: 'Паспорт РФ',
        figures: expect.objectContaining({ n: 400 }),
      }),
    ]);
    expect(stats.operators.find((o) => o.operatorId === 'op-03')!.services.map((s) => s.serviceId)).toEqual([null]);
  });

  it('the prior strength 0 leaves each share as it is; another day has no operators', async () => {
    const dataDir = tempDir();
    await seedOperators(dataDir, TEN_OPERATORS.slice(0, 3), { atMs: NOON });
    const plain = readOperatorStats(dataDir, { ...query, priorStrength: 0 });
    for (const row of plain.operators) expect(row.figures.shrunk).toBeCloseTo(row.figures.share, 12);
    expect(readOperatorStats(dataDir, { ...query, from: '2026-11-19', to: '2026-11-19' }).operators).toEqual([]);
  });

  it('a period of months (read from monthly rollups less the days outside it) gives the same figures as its days', async () => {
    const dataDir = tempDir();
    await seedOperators(dataDir, TEN_OPERATORS.slice(0, 2), { atMs: NOON });
    await seedOperators(dataDir, TEN_OPERATORS.slice(0, 2), { atMs: Date.parse('2026-09-02T09:00:00Z') });
    const long = readOperatorStats(dataDir, { ...query, from: '2026-09-01', to: '2026-11-30' });
    const short = readOperatorStats(dataDir, { ...query, from: '2026-11-01', to: '2026-11-30' });
    const late = readOperatorStats(dataDir, { ...query, from: '2026-09-03', to: '2026-11-30' });
    const counts = (stats: typeof long) => Object.fromEntries(stats.operators.map((o) => [o.operatorId, o.figures.n]));
    expect(counts(long)).toEqual({ 'op-01': 800, 'op-02': 360 });
    expect(counts(short)).toEqual({ 'op-01': 400, 'op-02': 180 });
    expect(counts(late)).toEqual({ 'op-01': 400, 'op-02': 180 });
    // Months less the days outside: both ends inside, then both just outside.
    expect(counts(readOperatorStats(dataDir, { ...query, from: '2026-09-02', to: '2026-11-18' }))).toEqual({
      'op-01': 800,
      'op-02': 360,
    });
    expect(readOperatorStats(dataDir, { ...query, from: '2026-09-03', to: '2026-11-17' }).operators).toEqual([]);
    expect(counts(readOperatorStats(dataDir, { ...query, from: '2026-08-25', to: '2026-09-02' }))).toEqual({
      'op-01': 400,
      'op-02': 180,
    });
  });

  it('a database from before the operator rollups has its bound answers counted once by the migration', async () => {
    const dataDir = tempDir();
    await seedOperators(dataDir, TEN_OPERATORS.slice(0, 2), { atMs: NOON });
    const expectedStats = readOperatorStats(dataDir, query);
    // The file as version 9 left it: no operator rollups.
    const db = new Database(path.join(dataDir, DATABASE_FILE));
    db.exec('DROP TABLE operator_rollups; DROP TABLE ticket_claims');
    // …whose queue kept the tickets it had seen rated in meta.
    db.prepare("INSERT INTO meta (key, value) VALUES ('queue_rated', ?)").run(JSON.stringify([['visit:v1', 'response-1']]));
    db.pragma('user_version = 9');
    db.close();
    const opened = openDatabase(dataDir, {}, { timeZone: ZONE });
    expect(opened.db.prepare('SELECT key, response_id FROM ticket_claims').all()).toEqual([
      { key: 'visit:v1', response_id: 'response-1' },
    ]);
    expect(opened.db.prepare("SELECT value FROM meta WHERE key = 'queue_rated'").get()).toBeUndefined();
    opened.db.close();
    expect(readOperatorStats(dataDir, query)).toEqual(expectedStats);
    // …and a second start counts nothing again.
    openDatabase(dataDir, {}, { timeZone: ZONE }).db.close();
    expect(readOperatorStats(dataDir, query)).toEqual(expectedStats);
  });

  it('the migration needs the office zone only when there is something to count', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 9));
    db.prepare(
      `INSERT INTO answers (id, response_id, question, value, locale, source, office_id, window_id, operator_id, created_at_ms, mono_ms, boot_id)
       VALUES (?, ?, 'csi', 5, 'ru', 'touch', 'o', 'w', 'op', 0, 0, 'b')`,
    ).run(crypto.randomUUID(), crypto.randomUUID());
    expect(() => migrate(db)).toThrow(/time zone/);
    expect(migrate(db, MIGRATIONS, { timeZone: ZONE })).toBe(MIGRATIONS.length);
  });
});
