import { z } from 'zod';
import { LanguageSchema } from './languages.js';
import { safeText } from './text.js';

/** Questions an applicant can answer. `reasons` is the follow-up to a low CSI score. */
export const QUESTIONS = ['csi', 'nps', 'reasons'] as const;

export const CSI_RANGE = { min: 1, max: 5 } as const;
export const NPS_RANGE = { min: 0, max: 10 } as const;

export const REASONS = ['waiting_time', 'politeness', 'competence', 'comfort', 'information', 'other'] as const;
export const ReasonSchema = z.enum(REASONS);
export type Reason = z.infer<typeof ReasonSchema>;

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
export const AnswerInputSchema = z.discriminatedUnion('question', [
  z.strictObject({ question: z.literal('csi'), value: z.number().int().min(CSI_RANGE.min).max(CSI_RANGE.max), ...answerCommon }),
  z.strictObject({ question: z.literal('nps'), value: z.number().int().min(NPS_RANGE.min).max(NPS_RANGE.max), ...answerCommon }),
  z.strictObject({
    question: z.literal('reasons'),
    reasons: z
      .array(ReasonSchema)
      .min(1)
      .max(REASONS.length)
      .refine((list) => new Set(list).size === list.length, 'each reason may be chosen once'),
    comment: text(true).trim().min(1).max(MAX_COMMENT_LENGTH).optional(),
    ...answerCommon,
  }),
]);
export type AnswerInput = z.input<typeof AnswerInputSchema>;
export type ParsedAnswer = z.output<typeof AnswerInputSchema>;

export const RecordedAnswerSchema = z.object({ id: z.string(), seq: z.number().int().positive() });

/** Is `value` a valid answer to `question`? Used by the flow to map keys 0–9 to scores. */
export function isValidScore(question: 'csi' | 'nps', value: number): boolean {
  const range = question === 'csi' ? CSI_RANGE : NPS_RANGE;
  return Number.isInteger(value) && value >= range.min && value <= range.max;
}
