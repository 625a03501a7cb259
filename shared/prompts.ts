import { MKGU_QUESTIONS, type Language } from './vocabulary.js';
import type { Screen } from './session.js';

/**
 * Spoken prompts: each applicant screen can be read aloud (off until the applicant turns it on).
 * The files are made at build time from the locale texts (packaging/prompts.ts, Debian's espeak-ng)
 * and shipped with the screens as `prompts/<language>/<id>.ogg`.
 */
export const PROMPT_IDS = ['language', 'csi', 'nps', ...MKGU_QUESTIONS, 'reasons', 'comment', 'thanks'] as const;
export type PromptId = (typeof PROMPT_IDS)[number];

/**
 * The espeak-ng voice that speaks each language. espeak-ng has no Tajik: tg has no prompts until
 * recorded ones are shipped, and its screen says so where the sound control is.
 */
export const PROMPT_VOICES: Record<Language, string | null> = { ru: 'ru', en: 'en', uz: 'uz', ky: 'ky', tg: null };

/** A translation function as i18next gives one (the renderer's and the build's). */
type Translate = (key: string, options?: Record<string, unknown>) => string;

/** The words spoken for a screen: its heading and what its buttons mean (the ends of a scale). */
export function promptText(t: Translate, id: PromptId): string {
  const ends = (labels: string) => `1 — ${t(`${labels}.1`)}. 5 — ${t(`${labels}.5`)}.`;
  const criterion = (MKGU_QUESTIONS as readonly string[]).indexOf(id);
  if (criterion >= 0) return [t('mkgu.step', { n: criterion + 1 }), `${t(`${id}.question`)}.`, ends('mkgu.labels')].join(' ');
  switch (id) {
    case 'language':
      return t('language.choose');
    case 'csi':
      return `${t('csi.question')} ${ends('csi.labels')}`;
    case 'nps':
      return `${t('nps.question')} ${t('nps.scale')}.`;
    case 'reasons':
      return `${t('reasons.question')} ${t('reasons.hint')}.`;
    case 'comment':
      return `${t('comment.question')} ${t('comment.hint')}`;
    default:
      return `${t('thanks.title')} ${t('thanks.subtitle')}.`;
  }
}

/** The prompt a screen is read with. */
export function promptOf(screen: Screen): PromptId {
  return screen.kind === 'question' ? screen.question : screen.kind;
}

/** Where a prompt's file is, relative to the screens' page. */
export const promptPath = (language: Language, id: PromptId): string => `prompts/${language}/${id}.ogg`;
