import { z } from 'zod';
import { LanguageSchema } from './languages.js';
import { safeText } from './text.js';

/**
 * The federal form's five criteria (Постановление Правительства № 1284, ИАС МКГУ «Ваш контроль»),
 * by their indicator ids: 9 time of service, 10 waiting time, 11 courtesy and competence of the
 * staff, 12 comfort of the premises, 13 availability of information. Each is rated 1–5, «Очень
 * плохо» … «Отлично»; an answer's question is `mkgu_<indicator>`.
 */
export const MKGU_INDICATORS = [9, 10, 11, 12, 13] as const;
export type MkguIndicator = (typeof MKGU_INDICATORS)[number];
export const MKGU_QUESTIONS = ['mkgu_9', 'mkgu_10', 'mkgu_11', 'mkgu_12', 'mkgu_13'] as const;
export type MkguQuestion = (typeof MKGU_QUESTIONS)[number];
export const mkguQuestion = (indicator: MkguIndicator): MkguQuestion => `mkgu_${indicator}`;

/** Questions answered with a score: CSI, NPS, the five federal criteria. */
export const SCORE_QUESTIONS = ['csi', 'nps', ...MKGU_QUESTIONS] as const;
export type ScoreQuestion = (typeof SCORE_QUESTIONS)[number];

/** Questions an applicant can answer. `reasons` is the follow-up to a low CSI score; `comment` the free text. */
export const QUESTIONS = [...SCORE_QUESTIONS, 'reasons', 'comment'] as const;

export const CSI_RANGE = { min: 1, max: 5 } as const;
export const NPS_RANGE = { min: 0, max: 10 } as const;
/** A federal criterion: 1 «Очень плохо» … 5 «Отлично». */
export const MKGU_RANGE = { min: 1, max: 5 } as const;

/** The scale of a score question. */
export const rangeOf = (question: ScoreQuestion) =>
  question === 'nps' ? NPS_RANGE : question === 'csi' ? CSI_RANGE : MKGU_RANGE;

/** The reasons offered after a low score when the config lists none, in this order (their words are in the locales). */
export const REASONS = ['waiting_time', 'politeness', 'competence', 'comfort', 'information', 'other'] as const;
export const isBuiltInReason = (id: string): id is (typeof REASONS)[number] => (REASONS as readonly string[]).includes(id);
/** A reason's id: one of ours, or one an office configured (its words then in the config). */
export const ReasonSchema = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'a reason id: a–z, 0–9 and _, at most 32');
export type Reason = z.infer<typeof ReasonSchema>;
/** At most this many reasons on the screen: a keyboard box chooses them with keys 1–9. */
export const MAX_REASONS = 9;

export const MAX_COMMENT_LENGTH = 500;

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
