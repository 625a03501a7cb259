import i18next, { type TFunction } from 'i18next';
import * as z from 'zod';
import en from './locales/en.json' with { type: 'json' };
import ru from './locales/ru.json' with { type: 'json' };
import { describeIssues } from '../shared/config.js';
import { ConfigError } from './config.node.js';
import { EXIT, OperatorError, type ExitCode } from './operator-error.js';

/**
 * Text for IT staff (the `pult` command, the kiosk's startup dialog): Russian or English, from
 * core/locales. Applicants' text is a different set, in shared/locales.
 */
export const OPERATOR_LANGUAGES = ['ru', 'en'] as const;
export type OperatorLanguage = (typeof OPERATOR_LANGUAGES)[number];

/**
 * $PULT_LANG, else the POSIX locale variables in their order of precedence, else the system's
 * locale (Windows has no LANG): Russian for any ru* locale, English otherwise.
 */
export function operatorLanguage(
  env: NodeJS.ProcessEnv = process.env,
  systemLocale = Intl.DateTimeFormat().resolvedOptions().locale,
): OperatorLanguage {
  const locale = [env.PULT_LANG, env.LC_ALL, env.LC_MESSAGES, env.LANG].find((value) => value && value !== 'C') ?? systemLocale;
  return locale.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export type OperatorText = TFunction;

/**
 * The operator's words for this process. Also switches zod's own messages (a config file's
 * problems) to the same language; a process has one operator.
 */
export function operatorText(language: OperatorLanguage): OperatorText {
  z.config(language === 'ru' ? z.locales.ru() : z.locales.en());
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

function describeConfigError(error: ConfigError, t: OperatorText): string {
  const { problem } = error;
  const lines =
    problem.kind === 'invalid'
      ? describeIssues(problem.error, (rule) => t(`config.${rule}`))
      : [t(problem.kind === 'unreadable' ? 'config.unreadable' : 'config.notJson', { detail: problem.detail })];
  return [t('config.invalid', { file: error.file }), ...lines.map((line) => `  - ${line}`)].join('\n');
}

/** What to tell the operator about a failure, and the exit code scripts see. */
export function explainFailure(error: unknown, t: OperatorText): { message: string; exitCode: ExitCode } {
  if (error instanceof ConfigError) return { message: describeConfigError(error, t), exitCode: EXIT.badInput };
  if (error instanceof OperatorError) return { message: t(`errors.${error.key}`, error.params), exitCode: error.exitCode };
  return { message: error instanceof Error ? error.message : String(error), exitCode: EXIT.failure };
}
