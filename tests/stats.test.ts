import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AnswerInputSchema, type AnswerInput } from '../shared/answer.js';
import { DEMO_CONFIG, PultConfigSchema } from '../shared/config.js';
import { systemClock } from '../core/clock.js';
import { PultService } from '../core/service.js';
import { runPult } from './support/host-process.js';
import { useTempDirs } from './support/temp-dir.js';

/**
 * `pult stats` against a seeded database, checked against an independent count over the raw
 * answers: office days in a zone with a clock change (Berlin, 29 March 2026: 02:00 → 03:00),
 * two windows, misuse and reasons.
 */
const tempDir = useTempDirs();
const ZONE = 'Europe/Berlin';

interface Seed {
  atMs: number;
  window: string;
  answer: AnswerInput;
}

const at = (iso: string) => Date.parse(iso);
const csi = (value: number, extra: Partial<AnswerInput> = {}) =>
  ({ question: 'csi', value, responseId: crypto.randomUUID(), locale: 'ru', source: 'touch', ...extra }) as AnswerInput;
const nps = (value: number) =>
  ({ question: 'nps', value, responseId: crypto.randomUUID(), locale: 'ru', source: 'touch' }) as AnswerInput;

/** Answers stored as the consoles of two windows stored them, each at its device time. */
async function seed(dataDir: string, seeds: Seed[]): Promise<void> {
  for (const window of [...new Set(seeds.map((s) => s.window))]) {
    let now = 0;
    const config = PultConfigSchema.parse({ ...DEMO_CONFIG, window: { id: window, label: window }, timeZone: ZONE });
    const service = await PultService.open({ dataDir, config, clock: { ...systemClock, wallMs: () => now } });
    for (const s of seeds.filter((x) => x.window === window)) {
      now = s.atMs;
      await service.storeAnswer(AnswerInputSchema.parse(s.answer), crypto.randomUUID());
    }
    await service.close();
  }
}

/** The office day of an instant, computed without the code under test. */
const officeDay = (ms: number) => new Date(ms).toLocaleDateString('sv-SE', { timeZone: ZONE });

describe('pult stats', () => {
  it('prints the figures of a period: equal to an independent count, misuse apart, days across a clock change', async () => {
    const dir = tempDir();
    const dataDir = path.join(dir, 'data');
    const seeds: Seed[] = [
      // 28 March (CET, UTC+1): 23:30 local is still the 28th.
      { atMs: at('2026-03-28T22:30:00Z'), window: 'w1', answer: csi(5) },
      // 29 March, after the clock change (CEST, UTC+2): 00:30 UTC is 01:30 local, 01:30 UTC is 03:30 local.
      { atMs: at('2026-03-29T00:30:00Z'), window: 'w1', answer: csi(2) },
      {
        atMs: at('2026-03-29T00:31:00Z'),
        window: 'w1',
        answer: {
          question: 'reasons',
          reasons: ['waiting_time', 'politeness'],
          responseId: crypto.randomUUID(),
          locale: 'ru',
          source: 'touch',
        },
      },
      { atMs: at('2026-03-29T01:30:00Z'), window: 'w1', answer: csi(4) },
      { atMs: at('2026-03-29T01:31:00Z'), window: 'w1', answer: nps(10) },
      { atMs: at('2026-03-29T08:00:00Z'), window: 'w2', answer: csi(3) },
      { atMs: at('2026-03-29T08:01:00Z'), window: 'w2', answer: nps(6) },
      { atMs: at('2026-03-29T08:02:00Z'), window: 'w2', answer: nps(8) },
      { atMs: at('2026-03-29T08:03:00Z'), window: 'w2', answer: csi(5, { flags: ['misuse'] }) },
      // 30 March: outside the period.
      { atMs: at('2026-03-30T09:00:00Z'), window: 'w1', answer: csi(1) },
    ];
    await seed(dataDir, seeds);
    const config = path.join(dir, 'console.json');
    fs.writeFileSync(config, JSON.stringify({ ...DEMO_CONFIG, timeZone: ZONE }));
    const pultStats = (...args: string[]) => runPult(['stats', '--config', config, '--data-dir', dataDir, ...args]);

    const run = await pultStats('--from', '2026-03-28', '--to', '2026-03-29', '--json');
    expect(run.code).toBe(0);
    const stats = JSON.parse(run.stdout);

    // The independent computation: raw rows, office days by another route, brute-force figures.
    const db = new Database(path.join(dataDir, 'pult.sqlite'), { readonly: true });
    const rows = db.prepare('SELECT question, value, reasons, flags, created_at_ms, window_id FROM answers').all() as {
      question: string;
      value: number | null;
      reasons: string | null;
      flags: string;
      created_at_ms: number;
      window_id: string;
    }[];
    db.close();
    const inPeriod = rows.filter((r) => ['2026-03-28', '2026-03-29'].includes(officeDay(r.created_at_ms)));
    const counted = inPeriod.filter((r) => r.flags === '[]');
    const scores = counted.filter((r) => r.question === 'csi').map((r) => r.value!);
    const npsScores = counted.filter((r) => r.question === 'nps').map((r) => r.value!);
    const satisfied = scores.filter((v) => v >= 4).length;
    const promoters = npsScores.filter((v) => v >= 9).length;
    const detractors = npsScores.filter((v) => v <= 6).length;

    expect(stats.csi).toMatchObject({
      responses: scores.length,
      mean: scores.reduce((a, b) => a + b, 0) / scores.length,
      satisfied: { count: satisfied, n: scores.length, share: satisfied / scores.length },
      small: true,
    });
    expect(stats.nps).toMatchObject({
      responses: npsScores.length,
      promoters,
      detractors,
      score: ((promoters - detractors) / npsScores.length) * 100,
    });
    expect(stats.misuse).toBe(inPeriod.filter((r) => r.flags !== '[]').length);
    expect(stats.reasons).toEqual([
      { reason: 'waiting_time', count: 1 },
      { reason: 'politeness', count: 1 },
    ]);
    expect(stats.trend.unit).toBe('day');
    expect(stats.trend.points.map((d: { period: string; csi: { responses: number } }) => [d.period, d.csi.responses])).toEqual([
      ['2026-03-28', 1],
      ['2026-03-29', 3],
    ]);
    // Local hours across the change: 01:30 (before the gap), 03:30 (after it), 10:00.
    expect(stats.byHour.map((h: { hour: number }) => h.hour)).toEqual([1, 3, 10, 23]);
    expect(stats.byWindow.map((w: { windowId: string; csi: { responses: number } }) => [w.windowId, w.csi.responses])).toEqual([
      ['w1', 3],
      ['w2', 1],
    ]);

    const one = JSON.parse((await pultStats('--from', '2026-03-29', '--to', '2026-03-29', '--window', 'w2', '--json')).stdout);
    expect(one).toMatchObject({ windowId: 'w2', csi: { responses: 1, mean: 3 }, misuse: 1 });

    const text = await pultStats('--from', '2026-03-28', '--to', '2026-03-29');
    expect(text.stdout).toMatch(
      /satisfied \(4–5\): 50\.0 % — 2 of 4, 95 % interval .* \(small sample: fewer than 30 responses\)/,
    );
    expect(text.stdout).toMatch(/misuse presses \(kept, not counted\): 1/);

    // `pult export` takes the same window filter: every answer of w2, misuse included (flagged).
    const exported = await runPult(['export', '--data-dir', dataDir, '--format', 'jsonl', '--window', 'w2']);
    const lines = exported.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { window_id: string; flags: string[] });
    expect(lines.map((l) => l.window_id)).toEqual(['w2', 'w2', 'w2', 'w2']);
    expect(lines.filter((l) => l.flags.includes('misuse'))).toHaveLength(1);
  });

  it('an empty period is "no data"; a date that does not exist is refused', async () => {
    const dataDir = tempDir();
    await seed(dataDir, [{ atMs: at('2026-03-29T08:00:00Z'), window: 'w1', answer: csi(4) }]);
    const empty = await runPult(['stats', '--data-dir', dataDir, '--from', '2020-01-01', '--to', '2020-01-31', '--json']);
    expect(JSON.parse(empty.stdout)).toMatchObject({ csi: null, nps: null, reasons: [], misuse: 0, trend: { points: [] } });
    expect((await runPult(['stats', '--data-dir', dataDir, '--from', '2020-01-01', '--to', '2020-01-31'])).stdout).toMatch(
      /no data/,
    );
    const bad = await runPult(['stats', '--data-dir', dataDir, '--from', '2026-02-30']);
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringMatching(/--from: "2026-02-30" is not a date/) });
  });
});
