import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REASONS } from './answer.js';
import { csiFigures, meetsTarget, npsFigures, rankReasons, SMALL_SAMPLE, wilson, type Counts } from './metrics.js';

/** Counts made from raw answers, as the rollups hold them. */
const countsOf = (values: number[]): Counts => {
  const counts: Record<number, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
};

const csiAnswers = fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 400 });
const npsAnswers = fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 400 });

describe('metrics: every figure the supervisor sees, against a brute-force count over raw answers', () => {
  it('CSI: mean, distribution and satisfied share equal the counted fractions; the interval holds the estimate', () => {
    fc.assert(
      fc.property(csiAnswers, (answers) => {
        const figures = csiFigures(countsOf(answers));
        if (answers.length === 0) {
          expect(figures).toBeNull();
          return;
        }
        const satisfied = answers.filter((v) => v >= 4).length;
        expect(figures!.responses).toBe(answers.length);
        expect(figures!.mean).toBeCloseTo(answers.reduce((a, b) => a + b, 0) / answers.length, 12);
        expect(figures!.distribution).toEqual([1, 2, 3, 4, 5].map((s) => answers.filter((v) => v === s).length));
        expect(figures!.satisfied).toMatchObject({ count: satisfied, n: answers.length });
        expect(figures!.satisfied.share).toBe(satisfied / answers.length);
        const { low, high } = figures!.satisfied.interval;
        expect(0 <= low && low <= figures!.satisfied.share && figures!.satisfied.share <= high && high <= 1).toBe(true);
        expect(figures!.small).toBe(answers.length < SMALL_SAMPLE);
      }),
      { numRuns: 400 },
    );
  });

  it('NPS: in [−100, 100], promoters/passives/detractors counted, the interval holds the score', () => {
    fc.assert(
      fc.property(npsAnswers, (answers) => {
        const figures = npsFigures(countsOf(answers));
        if (answers.length === 0) {
          expect(figures).toBeNull();
          return;
        }
        const promoters = answers.filter((v) => v >= 9).length;
        const detractors = answers.filter((v) => v <= 6).length;
        expect(figures).toMatchObject({
          responses: answers.length,
          promoters,
          detractors,
          passives: answers.length - promoters - detractors,
        });
        expect(figures!.score).toBeCloseTo(((promoters - detractors) / answers.length) * 100, 9);
        expect(figures!.score).toBeGreaterThanOrEqual(-100);
        expect(figures!.score).toBeLessThanOrEqual(100);
        const { low, high } = figures!.interval;
        expect(-100 <= low && low <= figures!.score + 1e-9 && figures!.score - 1e-9 <= high && high <= 100).toBe(true);
        expect(Number.isNaN(low) || Number.isNaN(high)).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it('Wilson: within [0, 1], contains the estimate, narrows as the sample grows; nothing to count is null, never NaN', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, p) => {
        const successes = Math.round(p * n);
        const interval = wilson(successes, n)!;
        expect(0 <= interval.low && interval.low <= successes / n && successes / n <= interval.high && interval.high <= 1).toBe(
          true,
        );
        const wider = wilson(Math.round(p * Math.max(1, Math.floor(n / 4))), Math.max(1, Math.floor(n / 4)))!;
        expect(interval.high - interval.low).toBeLessThanOrEqual(wider.high - wider.low + 1e-12);
      }),
    );
    expect(wilson(0, 0)).toBeNull();
    // A known value: 81 of 100 → 0.7222 … 0.8749 (Wilson 1927, as tabulated by Newcombe 1998).
    const known = wilson(81, 100)!;
    expect(known.low).toBeCloseTo(0.7222, 4);
    expect(known.high).toBeCloseTo(0.8749, 4);
  });

  it('an empty period is "no data", never NaN; counts outside the scale are ignored', () => {
    expect(csiFigures({})).toBeNull();
    expect(npsFigures({})).toBeNull();
    expect(csiFigures({ 0: 3, 6: 2, 4: 1 })).toMatchObject({ responses: 1, mean: 4 });
  });

  it('reasons are ranked by count, with their counts; unchosen ones are left out', () => {
    expect(rankReasons({ politeness: 2, waiting_time: 7, other: 2 }, REASONS)).toEqual([
      { reason: 'waiting_time', count: 7 },
      { reason: 'politeness', count: 2 },
      { reason: 'other', count: 2 },
    ]);
  });
});

describe('the target', () => {
  it('is met at the target share exactly (36 of 40 = 90 %), not one answer below it', () => {
    expect(meetsTarget(csiFigures({ 5: 36, 1: 4 })!, 0.9)).toBe(true);
    expect(meetsTarget(csiFigures({ 5: 35, 1: 5 })!, 0.9)).toBe(false);
  });
});
