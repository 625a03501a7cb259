import { z } from 'zod';
import { MAX_COMMENT_LENGTH, NPS_RANGE, ReasonSchema, RecordedAnswerSchema, SCORE_QUESTIONS } from './answer.js';
import { safeText } from './text.js';
import { LanguageSchema } from './languages.js';
import { STANDARD_VISION, VISION_SCHEMES } from './vocabulary.js';

export { isNewerView, STANDARD_VISION, VISION_SCHEMES } from './vocabulary.js';

/**
 * The applicant session as every screen sees it, and what a screen may send into it. The core owns
 * the session (core/session.ts); a screen renders `SessionView` and reports what the person did as
 * a `Press`. Nothing here lets a screen choose a question, a response, a flag or a source.
 */

export const ScreenSchema = z.discriminatedUnion('kind', [
  /** «Выберите язык» (the flow's `language` step): choosing one goes on to the first question. */
  z.object({ kind: z.literal('language') }),
  z.object({ kind: z.literal('question'), question: z.enum(SCORE_QUESTIONS) }),
  z.object({ kind: z.literal('reasons'), selected: z.array(ReasonSchema) }),
  /** Free text: typed on the screen's own keyboard, sent once with «Готово». */
  z.object({ kind: z.literal('comment') }),
  z.object({ kind: z.literal('thanks') }),
]);
export type Screen = z.output<typeof ScreenSchema>;

/**
 * «Версия для слабовидящих»: the text size (1 as designed, 2 = 150 %, 3 = 200 %), the colours (as
 * designed, or one of the schemes Russian state sites offer) and whether pictures are shown. Chosen
 * by the applicant on the screen; reset for the next one, as the language is. The buttons keep
 * their size and order in every mode.
 */
const visionFields = {
  size: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  scheme: z.enum(VISION_SCHEMES),
  images: z.boolean(),
  /** The screen's prompt is read aloud (shared/prompts.ts); off for every new applicant. */
  sound: z.boolean(),
};
export const VisionSchema = z.strictObject({ ...visionFields, sound: visionFields.sound.default(false) });
export type Vision = z.output<typeof VisionSchema>;
/**
 * What one touch on the vision controls changes: only the choices it names. Two quick touches
 * (a size, then a scheme) each keep the other's choice, whichever reaches the core first.
 */
export const VisionChangeSchema = z.strictObject(visionFields).partial();
export type VisionChange = z.output<typeof VisionChangeSchema>;

export const SessionViewSchema = z.object({
  /** The core's run: a view from another run is never older or newer than this one, just different. */
  bootId: z.string(),
  /** Grows with every change within a run: a screen keeps the newest view it received. */
  version: z.number().int().nonnegative(),
  /** Names the screen shown; a press from a screen says which screen the person saw. */
  screenId: z.string(),
  screen: ScreenSchema,
  language: LanguageSchema,
  vision: VisionSchema.default(STANDARD_VISION),
  /** A response is under way: «Пропустить» is offered. */
  canSkip: z.boolean(),
  /** The screen takes presses (a new question ignores them for `timeouts.settleMs`). */
  settled: z.boolean(),
  /** The supervisor screen is open on the console: no ratings are taken, and every screen says so. */
  paused: z.boolean(),
  /** The electronic queue's ticket whose rating is open (docs/queue.md), and its operator's name when the config shows it. */
  ticket: z.object({ number: z.string(), operator: z.string().nullable() }).nullable().default(null),
  /** `queue.mode: required` and no ticket open: presses store nothing, the screen says when rating opens. */
  waitingForTicket: z.boolean().default(false),
});
export type SessionView = z.output<typeof SessionViewSchema>;

/** What the person did on a screen. */
export const ActionSchema = z.discriminatedUnion('type', [
  /** A score button, or a key 0–9; what it means (an answer, a reason, misuse, nothing) is the core's call. */
  z.strictObject({ type: z.literal('score'), value: z.number().int().min(NPS_RANGE.min).max(NPS_RANGE.max) }),
  z.strictObject({ type: z.literal('toggleReason'), reason: ReasonSchema }),
  z.strictObject({ type: z.literal('done') }),
  /** The comment typed, sent once («Готово» on the comment screen); empty is the same as «Пропустить». */
  z.strictObject({ type: z.literal('comment'), text: safeText({ lines: true }).max(MAX_COMMENT_LENGTH) }),
  /** A key was typed on the comment screen: the person is still here (the idle return waits). */
  z.strictObject({ type: z.literal('typing') }),
  z.strictObject({ type: z.literal('skip') }),
  z.strictObject({ type: z.literal('chooseLanguage'), language: LanguageSchema }),
  /** «Версия для слабовидящих»: the text size, the colours, pictures on or off. */
  z.strictObject({ type: z.literal('setVision'), vision: VisionChangeSchema }),
]);
export type Action = z.output<typeof ActionSchema>;

export const PressSchema = z.strictObject({
  /** Made where the press was made; a press sent again (its reply was lost) carries the same id. */
  id: z.uuid(),
  /** The screen the person saw: a press aimed at a screen no longer shown changes nothing. */
  screenId: z.string().min(1).max(64),
  /** A finger on the screen or a key (a USB box that types digits); serial boxes are read by the core. */
  source: z.enum(['touch', 'keyboard']),
  action: ActionSchema,
});
export type Press = z.output<typeof PressSchema>;

/**
 * What became of a press: `stored` an answer (on disk before this reply), `misuse` stored flagged
 * and changing nothing, `moved` the session without storing (a reason chosen, a language, a skip),
 * `ignored` (not settled, another screen, not an answer here), `replayed` (already applied once).
 */
export const PressOutcomeSchema = z.enum(['stored', 'misuse', 'moved', 'ignored', 'replayed']);
export type PressOutcome = z.output<typeof PressOutcomeSchema>;

export const PressReplySchema = z.object({
  outcome: PressOutcomeSchema,
  /** The answer this press stored (now or, when `replayed`, the first time): its id goes to the collector. */
  answer: RecordedAnswerSchema.nullable(),
  session: SessionViewSchema,
});
export type PressReply = z.output<typeof PressReplySchema>;
