import { z } from 'zod';
import { CSI_RANGE, MKGU_RANGE, NPS_RANGE } from './answer.js';

/**
 * Every figure the supervisor sees, from counts (the rollups) — pure, so that the screen, `pult
 * stats` and the tests compute the same numbers. Figures go into staff KPIs: each share comes with
 * its count and a 95 % interval, small samples are marked, and an empty period is "no data", never
 * NaN.
 */

/** Fewer responses than this: the figure is shown greyed, «мало данных», not as a bold percent. */
export const SMALL_SAMPLE = 30;
/** The normal quantile of a two-sided 95 % interval. */
const Z95 = 1.959963984540054;

/** How many answers gave each value (e.g. CSI 1..5 → count). Values outside the scale are not counted. */
export type Counts = Readonly<Record<number, number>>;

export const IntervalSchema = z.object({ low: z.number(), high: z.number() });
export type Interval = z.output<typeof IntervalSchema>;

/** A share with what it is made of: `count` of `n`. */
export const ShareSchema = z.object({
  count: z.number().int(),
  n: z.number().int(),
  share: z.number(),
  interval: IntervalSchema,
});

/**
 * Wilson score interval of a proportion: unlike the normal approximation it stays inside [0, 1]
 * and is honest for small samples and shares near 0 or 1. Null when there is nothing to count.
 */
export function wilson(successes: number, n: number, z = Z95): Interval | null {
  if (n <= 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // Rounding must not put the estimate outside its own interval.
  return { low: Math.max(0, Math.min(p, centre - half)), high: Math.min(1, Math.max(p, centre + half)) };
}

const countOf = (counts: Counts, value: number): number => {
  const count = counts[value] ?? 0;
  return Number.isFinite(count) && count > 0 ? count : 0;
};

const sumOver = (counts: Counts, from: number, to: number, pick: (value: number, count: number) => number = (_v, c) => c) => {
  let total = 0;
  for (let value = from; value <= to; value++) total += pick(value, countOf(counts, value));
  return total;
};

export const CsiFiguresSchema = z.object({
  responses: z.number().int(),
  /** Mean score 1–5. */
  mean: z.number(),
  /** Count of each score 1..5 (index 0 is score 1). */
  distribution: z.array(z.number().int()),
  /** Scores 4–5 against all scores. */
  satisfied: ShareSchema,
  /** Below SMALL_SAMPLE responses. */
  small: z.boolean(),
});
export type CsiFigures = z.output<typeof CsiFiguresSchema>;

/** CSI figures of a period, or null ("no data") when nobody answered. */
export function csiFigures(counts: Counts): CsiFigures | null {
  const { min, max } = CSI_RANGE;
  const n = sumOver(counts, min, max);
  if (n === 0) return null;
  const satisfiedCount = sumOver(counts, 4, max);
  return {
    responses: n,
    mean: sumOver(counts, min, max, (value, count) => value * count) / n,
    distribution: Array.from({ length: max - min + 1 }, (_, i) => countOf(counts, min + i)),
    satisfied: { count: satisfiedCount, n, share: satisfiedCount / n, interval: wilson(satisfiedCount, n)! },
    small: n < SMALL_SAMPLE,
  };
}

export const NpsFiguresSchema = z.object({
  responses: z.number().int(),
  promoters: z.number().int(),
  passives: z.number().int(),
  detractors: z.number().int(),
  /** % promoters − % detractors, −100 … 100. */
  score: z.number(),
  /** 95 % interval of the score (normal approximation of the difference of two shares), clipped to −100 … 100. */
  interval: IntervalSchema,
  small: z.boolean(),
});
export type NpsFigures = z.output<typeof NpsFiguresSchema>;

/** The office's target is met when the satisfied share (its estimate, not its interval) reaches it. */
export const meetsTarget = (csi: CsiFigures, target: number): boolean => csi.satisfied.share >= target;

/** NPS of a period (9–10 promoters, 7–8 passives, 0–6 detractors), or null when nobody answered. */
export function npsFigures(counts: Counts): NpsFigures | null {
  const n = sumOver(counts, NPS_RANGE.min, NPS_RANGE.max);
  if (n === 0) return null;
  const promoters = sumOver(counts, 9, 10);
  const detractors = sumOver(counts, NPS_RANGE.min, 6);
  const pp = promoters / n;
  const pd = detractors / n;
  const score = (pp - pd) * 100;
  const half = Z95 * Math.sqrt(Math.max(0, pp + pd - (pp - pd) ** 2) / n) * 100;
  const clip = (value: number) => Math.max(-100, Math.min(100, value));
  return {
    responses: n,
    promoters,
    passives: n - promoters - detractors,
    detractors,
    score,
    interval: { low: clip(score - half), high: clip(score + half) },
    small: n < SMALL_SAMPLE,
  };
}

/** Reasons ranked by how often they were chosen (ties in the given order), with counts. */
export function rankReasons<R extends string>(
  counts: Readonly<Partial<Record<R, number>>>,
  order: readonly R[],
): { reason: R; count: number }[] {
  return order
    .map((reason) => ({ reason, count: counts[reason] ?? 0 }))
    .filter((entry) => entry.count > 0)
    .sort((a, b) => b.count - a.count);
}

/** An operator is ranked only from this many ratings: fewer, and the place says more of luck than of service. */
export const RANKED_FROM = 100;
/** The prior's strength (in ratings) of the shrunk score, config `supervisor.priorStrength`. */
export const PRIOR_STRENGTH = 40;

/** How a criterion's score splits into «satisfied» or not: CSI 4–5 of 1–5; NPS promoters 9–10 of 0–10. */
export const CRITERIA = {
  csi: { min: CSI_RANGE.min, max: CSI_RANGE.max, satisfiedFrom: 4 },
  nps: { min: NPS_RANGE.min, max: NPS_RANGE.max, satisfiedFrom: 9 },
  /** The federal «вежливость и компетентность сотрудника»: «Хорошо» and «Отлично» are satisfied. */
  mkgu_11: { min: MKGU_RANGE.min, max: MKGU_RANGE.max, satisfiedFrom: 4 },
} as const;
/** The criteria an operator can be ranked on: CSI, the federal «вежливость и компетентность» (11), NPS. */
export const CRITERION_NAMES = ['csi', 'mkgu_11', 'nps'] as const satisfies readonly (keyof typeof CRITERIA)[];
export type Criterion = (typeof CRITERION_NAMES)[number];

export const FairFiguresSchema = z.object({
  n: z.number().int(),
  /** Ratings at or above the criterion's «satisfied» mark. */
  satisfied: z.number().int(),
  mean: z.number(),
  share: z.number(),
  interval: IntervalSchema,
  /**
   * The share shrunk towards the pooled one (empirical Bayes, a beta prior of strength s):
   * (k + m·s) / (n + s). Twelve lucky ratings move it a little; four hundred move it far.
   */
  shrunk: z.number(),
  small: z.boolean(),
  /** From RANKED_FROM ratings: only these are given a place. */
  ranked: z.boolean(),
});
export type FairFigures = z.output<typeof FairFiguresSchema>;

/** The figures of one group (an operator, an operator at one service) against the pooled share `m`. */
export function fairFigures(counts: Counts, criterion: Criterion, pooled: number, strength: number): FairFigures | null {
  const { min, max, satisfiedFrom } = CRITERIA[criterion];
  const n = sumOver(counts, min, max);
  if (n === 0) return null;
  const satisfied = sumOver(counts, satisfiedFrom, max);
  return {
    n,
    satisfied,
    mean: sumOver(counts, min, max, (value, count) => value * count) / n,
    share: satisfied / n,
    interval: wilson(satisfied, n)!,
    shrunk: (satisfied + pooled * strength) / (n + strength),
    small: n < SMALL_SAMPLE,
    ranked: n >= RANKED_FROM,
  };
}

/** The pooled satisfied share of several groups' counts (0 when nobody rated: the prior then says nothing). */
export function pooledShare(groups: Iterable<Counts>, criterion: Criterion): number {
  const { min, max, satisfiedFrom } = CRITERIA[criterion];
  let n = 0;
  let satisfied = 0;
  for (const counts of groups) {
    n += sumOver(counts, min, max);
    satisfied += sumOver(counts, satisfiedFrom, max);
  }
  return n === 0 ? 0 : satisfied / n;
}
