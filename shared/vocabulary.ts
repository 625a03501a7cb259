import type { SessionView, Vision } from './session.js';

/**
 * The plain values every side shares, without a schema: the applicant's screen imports these and
 * so loads no zod (its initial JavaScript is what a cheap terminal parses at every start). The
 * schemas that check them (answer.ts, languages.ts, session.ts, contract.ts) import them from here.
 */

/**
 * Languages that have a locale file in shared/locales. Adding one = one JSON file + one entry here.
 * Which of them a native speaker reviewed: each locale file's `reviewed` (docs/translations.md).
 */
export const SUPPORTED_LANGUAGES = ['ru', 'en', 'uz', 'tg', 'ky'] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];

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
/** At most this many reasons on the screen: a keyboard box chooses them with keys 1–9. */
export const MAX_REASONS = 9;

export const MAX_COMMENT_LENGTH = 500;

/** «Версия для слабовидящих»: the colour schemes (docs/accessibility.md), and the screen as designed. */
export const VISION_SCHEMES = ['standard', 'black-on-white', 'white-on-black', 'blue', 'beige'] as const;
export const STANDARD_VISION: Vision = { size: 1, scheme: 'standard', images: true, sound: false };

/** Is `next` a newer view than `current`? Views of another run of the core always replace. */
export const isNewerView = (current: SessionView | null, next: SessionView): boolean =>
  current === null || current.bootId !== next.bootId || next.version > current.version;

/** Every method of the contract (shared/contract.ts checks that this is all of them, and no more). */
export const METHOD_NAMES = [
  'getConsole',
  'getSession',
  'press',
  'getStatus',
  'getSyncStatus',
  'openSupervisor',
  'closeSupervisor',
  'getStats',
  'getOperators',
  'getHealth',
  'listExportFolders',
  'exportPeriod',
  'getSettings',
  'changeSettings',
] as const;

/** The browser host's WebSocket for the contract's calls (shared/call-socket.ts), under the page's address. */
export const CALL_SOCKET_PATH = 'api/calls';
