import i18next, { type TFunction } from 'i18next';
import * as z from 'zod';
import en from './locales/en.json' with { type: 'json' };
import ru from './locales/ru.json' with { type: 'json' };
import { describeIssues, type ConfigProblem } from '../config.js';
import { EXIT, exitCodeOf, FAILURE_KINDS, type ExitCode, type FailureLike } from './failures.js';

/**
 * Text for IT staff (the `pult` command, the kiosk's startup dialog): Russian or English, from
 * shared/admin/locales. Applicants' text is a different set, in shared/locales. ("Operator" is
 * the clerk at the window, never the reader of these lines.)
 */
export const ADMIN_LANGUAGES = ['ru', 'en'] as const;
export type AdminLanguage = (typeof ADMIN_LANGUAGES)[number];

/**
 * $PULT_LANG, else the POSIX locale variables in their order of precedence, else the system's
 * locale (Windows has no LANG): Russian for any ru* locale, English otherwise.
 */
export function adminLanguage(
  env: Record<string, string | undefined>,
  systemLocale = Intl.DateTimeFormat().resolvedOptions().locale,
): AdminLanguage {
  const locale = [env.PULT_LANG, env.LC_ALL, env.LC_MESSAGES, env.LANG].find((value) => value && value !== 'C') ?? systemLocale;
  return locale.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export type AdminText = TFunction;

/**
 * The IT staff's words for this process. Also switches zod's own messages (a config file's
 * problems) to the same language; a process has one reader of its messages.
 */
export function adminText(language: AdminLanguage): AdminText {
  z.config(language === 'ru' ? z.locales.ru() : z.locales.en());
  return adminWords(language);
}

/**
 * The same words without switching zod's: for a server that answers readers of both languages
 * (the collector's fleet page, chosen per request by Accept-Language).
 */
export function adminWords(language: AdminLanguage): AdminText {
  const text = i18next.createInstance();
  void text.init({
    lng: language,
    fallbackLng: 'en',
    resources: { en: { translation: en }, ru: { translation: ru } },
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return text.t;
}

/** A config file that cannot be used, as core/config.node.ts reports it. */
export interface ConfigFailureLike {
  file: string;
  problem: ConfigProblem;
}

const isConfigFailure = (error: unknown): error is ConfigFailureLike =>
  typeof error === 'object' && error !== null && 'problem' in error && 'file' in error;

const isFailure = (error: unknown): error is FailureLike =>
  typeof error === 'object' && error !== null && FAILURE_KINDS.has((error as { kind?: unknown }).kind as string);

function describeConfigError(error: ConfigFailureLike, t: AdminText): string {
  const { problem } = error;
  const lines =
    problem.kind === 'invalid'
      ? describeIssues(problem.error, (rule) => t(`config.${rule}`))
      : [t(problem.kind === 'unreadable' ? 'config.unreadable' : 'config.notJson', { detail: problem.detail })];
  return [t('config.invalid', { file: error.file }), ...lines.map((line) => `  - ${line}`)].join('\n');
}

/** What to tell IT staff about a failure, and the exit code scripts see. */
export function explainFailure(error: unknown, t: AdminText): { message: string; exitCode: ExitCode } {
  if (isConfigFailure(error)) return { message: describeConfigError(error, t), exitCode: EXIT.badInput };
  if (isFailure(error)) return { message: t(`errors.${error.kind}`, error.params), exitCode: exitCodeOf(error.kind) };
  return { message: error instanceof Error ? error.message : String(error), exitCode: EXIT.failure };
}

/** The reader's language from an Accept-Language header: Russian when ru comes before en, else English. */
export function acceptedLanguage(header: string | undefined): AdminLanguage {
  const ranked = (header ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = Number(/q=([\d.]+)/.exec(params.join(';'))?.[1] ?? 1);
      return { tag, q: Number.isFinite(q) ? q : 0 };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  const first = ranked.find((entry) => entry.tag.startsWith('ru') || entry.tag.startsWith('en'));
  return first?.tag.startsWith('ru') ? 'ru' : first ? 'en' : 'ru';
}

/** The readable column names of an .xlsx export (and its sheet's name), in the reader's language. */
export const workbookHeaders = (t: AdminText): Record<string, string> =>
  t('workbook', { returnObjects: true }) as Record<string, string>;
