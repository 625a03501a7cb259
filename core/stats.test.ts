import crypto from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { AnswerInputSchema } from '../shared/answer.js';
import { DEMO_CONFIG, PultConfigSchema } from '../shared/config.js';
import { PultService } from './service.js';
import { periodStats, windowStats } from './stats.js';
import { asReadable } from './storage/readable.js';
import { answerRow } from './storage/answers.js';
import { DATABASE_FILE } from './storage/database.js';
import { ledger } from './storage/ledger.js';
import { useTempDirs } from '../tests/support/temp-dir.js';

/**
 * Long periods read monthly rollups for their whole months and hourly rollups for the days around
 * them; short ones read hourly rollups only. Both must give the figures of the hourly rows alone.
 */
const tempDir = useTempDirs();
const config = PultConfigSchema.parse(DEMO_CONFIG);
let db: Database.Database;

beforeAll(async () => {
  const dir = tempDir();
  await (await PultService.open({ dataDir: dir, config })).close();
  db = new Database(path.join(dir, DATABASE_FILE));
  const { append } = ledger(db, config.timeZone);
  const start = Date.UTC(2025, 10, 20);
  for (let i = 0; i < 3_000; i++) {
    const question = i % 4 === 3 ? 'nps' : i % 9 === 4 ? 'reasons' : 'csi';
    const answer = AnswerInputSchema.parse({
      question,
      ...(question === 'reasons'
        ? { reasons: ['waiting_time'] }
        : { value: question === 'nps' ? (i * 7) % 11 : 1 + ((i * 3) % 5) }),
      responseId: crypto.randomUUID(),
      locale: 'ru',
      source: 'touch',
      flags: i % 50 === 0 ? ['misuse'] : [],
    });
    const createdAtMs = start + i * 2_700_000 + ((i * 7919) % 3_600_000); // ~3.75 months, all hours
    append(
      answerRow(answer, {
        id: crypto.randomUUID(),
        officeId: 'o',
        windowId: `w${i % 3}`,
        operatorId: null,
        createdAtMs,
        monoMs: i,
        bootId: 'b',
      }),
      crypto.randomUUID(),
    );
  }
});
afterAll(() => db.close());

/** The same figures' inputs, summed straight from the hourly rows. */
function fromHourly(from: string, to: string, windowId?: string) {
  const rows = db
    .prepare(
      `SELECT question, value, sum(count) AS count FROM rollups WHERE day BETWEEN ? AND ? AND (? IS NULL OR window_id = ?) GROUP BY question, value`,
    )
    .all(from, to, windowId ?? null, windowId ?? null) as { question: string; value: string; count: number }[];
  const of = (question: string) => rows.filter((r) => r.question === question).reduce((n, r) => n + r.count, 0);
  return { csi: of('csi'), nps: of('nps'), misuse: of('misuse'), reasons: of('reasons') };
}

const day = fc
  .integer({ min: 0, max: 125 })
  .map((n) => new Date(Date.UTC(2025, 10, 18) + n * 86_400_000).toISOString().slice(0, 10));

describe('statistics of a period', () => {
  it('the summed rollups are exactly the hourly ones summed (kept by triggers)', () => {
    const expected = db
      .prepare(
        `SELECT window_id AS scope, substr(day, 1, 7) AS bucket, -1 AS hour, question, value, sum(count) AS count FROM rollups GROUP BY 1, 2, 4, 5
         UNION ALL SELECT '*', day, hour, question, value, sum(count) FROM rollups GROUP BY 2, 3, 4, 5
         ORDER BY 1, 2, 3, 4, 5`,
      )
      .all();
    const kept = db
      .prepare(
        `SELECT scope, bucket, hour, question, value, count FROM rollups_sum
         WHERE (scope <> '*' AND unit = 'month' AND hour = -1) OR (scope = '*' AND unit = 'day' AND hour >= 0)
         ORDER BY 1, 2, 3, 4, 5`,
      )
      .all();
    expect(kept).toEqual(expected);
  });

  it('any period, short or long, one window or all: the figures of the hourly rows', () => {
    fc.assert(
      fc.property(day, day, fc.constantFrom(undefined, 'w0', 'w2'), (a, b, windowId) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const stats = periodStats(asReadable(db), { from, to, windowId });
        const expected = fromHourly(from, to, windowId);
        expect(stats.csi?.responses ?? 0).toBe(expected.csi);
        expect(stats.nps?.responses ?? 0).toBe(expected.nps);
        expect(stats.misuse).toBe(expected.misuse);
        expect(stats.reasons.reduce((n, r) => n + r.count, 0)).toBe(expected.reasons);
        expect(stats.byHour.reduce((n, h) => n + (h.csi?.responses ?? 0), 0)).toBe(expected.csi);
        expect(stats.trend.points.reduce((n, p) => n + (p.csi?.responses ?? 0), 0)).toBe(expected.csi);
        // Days taken back out of a whole month leave nothing behind: no hour or point without answers.
        expect(stats.byHour.every((h) => h.csi !== null) && stats.trend.points.every((p) => p.csi !== null)).toBe(true);
        const windows = windowStats(asReadable(db), { from, to }).filter((w) => !windowId || w.windowId === windowId);
        expect(windows.reduce((n, w) => n + (w.csi?.responses ?? 0), 0)).toBe(expected.csi);
        expect(windows.reduce((n, w) => n + (w.nps?.responses ?? 0), 0)).toBe(expected.nps);
        expect(stats.trend.unit).toBe(Date.parse(to) - Date.parse(from) >= 62 * 86_400_000 ? 'month' : 'day');
      }),
      { numRuns: 300 },
    );
  });
});
