import { z } from 'zod';
import { LanguageSchema } from './languages.js';
import { safeText } from './text.js';
import { MAX_COMMENT_LENGTH, MAX_REASONS, rangeOf, type ScoreQuestion } from './vocabulary.js';

// The plain values live in vocabulary.ts (no zod there: the applicant screen imports them).
export {
  CSI_RANGE,
  isBuiltInReason,
  MAX_COMMENT_LENGTH,
  MAX_REASONS,
  MKGU_INDICATORS,
  MKGU_QUESTIONS,
  MKGU_RANGE,
  mkguQuestion,
  NPS_RANGE,
  QUESTIONS,
  rangeOf,
  REASONS,
  SCORE_QUESTIONS,
} from './vocabulary.js';
export type { MkguIndicator, MkguQuestion, ScoreQuestion } from './vocabulary.js';

/** A reason's id: one of ours, or one an office configured (its words then in the config). */
export const ReasonSchema = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'a reason id: a–z, 0–9 and _, at most 32');
export type Reason = z.infer<typeof ReasonSchema>;

/** Where a tap came from: the touch screen, a keyboard-like button box, or a serial box (`button:<device>`). */
export const AnswerSourceSchema = z.union([
  z.literal('touch'),
  z.literal('keyboard'),
  z.string().regex(/^button:[\w.-]{1,64}$/, 'expected "button:<device-id>"'),
]);
export type AnswerSource = z.infer<typeof AnswerSourceSchema>;

/**
 * Kept, never counted: `misuse`, a press the console did not ask for (e.g. inside the guard
 * interval); `repeat`, a second response for a ticket the queue said was served (one rating per
 * ticket, docs/queue.md).
 */
export const AnswerFlagSchema = z.enum(['misuse', 'repeat']);

/** Text typed by a person or sent by a queue system: shared/text.ts's rule (a comment keeps its line breaks). */
const text = (lines: boolean) => safeText({ lines });

const answerCommon = {
  responseId: z.uuid(),
  locale: LanguageSchema,
  source: AnswerSourceSchema,
  flags: z.array(AnswerFlagSchema).max(1).default([]),
  ticket: text(false).min(1).max(32).optional(),
};

/**
 * What a shell may ask the core to store. Office, window, time and ids are stamped by the core,
 * never taken from the screen, so a tampered renderer cannot file ratings for another window.
 */
const scored = <Q extends ScoreQuestion>(question: Q) =>
  z.strictObject({
    question: z.literal(question),
    value: z.number().int().min(rangeOf(question).min).max(rangeOf(question).max),
    ...answerCommon,
  });

export const AnswerInputSchema = z.discriminatedUnion('question', [
  scored('csi'),
  scored('nps'),
  scored('mkgu_9'),
  scored('mkgu_10'),
  scored('mkgu_11'),
  scored('mkgu_12'),
  scored('mkgu_13'),
  z.strictObject({
    question: z.literal('reasons'),
    reasons: z
      .array(ReasonSchema)
      .min(1)
      .max(MAX_REASONS)
      .refine((list) => new Set(list).size === list.length, 'each reason may be chosen once'),
    comment: text(true).trim().min(1).max(MAX_COMMENT_LENGTH).optional(),
    ...answerCommon,
  }),
  /** The comment step's free text (its own answer, never counted in the figures). */
  z.strictObject({
    question: z.literal('comment'),
    comment: text(true).trim().min(1).max(MAX_COMMENT_LENGTH),
    ...answerCommon,
  }),
]);
export type AnswerInput = z.input<typeof AnswerInputSchema>;
export type ParsedAnswer = z.output<typeof AnswerInputSchema>;

export const RecordedAnswerSchema = z.object({ id: z.string(), seq: z.number().int().positive() });

/** Is `value` a valid answer to `question`? Used by the flow to map keys 0–9 to scores. */
export function isValidScore(question: ScoreQuestion, value: number): boolean {
  const range = rangeOf(question);
  return Number.isInteger(value) && value >= range.min && value <= range.max;
}
