import type { Language } from '../vocabulary.js';
import en from './en.json' with { type: 'json' };
import ky from './ky.json' with { type: 'json' };
import ru from './ru.json' with { type: 'json' };
import tg from './tg.json' with { type: 'json' };
import uz from './uz.json' with { type: 'json' };

type Strings = Omit<typeof ru, 'reviewed'>;
type LocaleFile = Strings & { reviewed: unknown };

/**
 * Who checked a language's texts as a native speaker, and when (docs/translations.md); null: a
 * draft. The supervisor's settings say «черновой перевод» beside a draft; the README's language
 * table shows the same (a test compares them). Its form is checked by shared/locales/locales.test.ts
 * (no schema here: the applicant's screen loads no zod).
 */
export type Review = { by: string; on: string } | null;

const FILES: Record<Language, LocaleFile> = { ru, en, uz, tg, ky };

const textsOf = ({ reviewed: _reviewed, ...strings }: LocaleFile): Strings => strings;

/** Every language's strings, keyed like SUPPORTED_LANGUAGES; a test checks all have the same keys. */
export const LOCALES = Object.fromEntries(Object.entries(FILES).map(([language, file]) => [language, textsOf(file)])) as Record<
  Language,
  Strings
>;

/** Each language's review, read from its locale file's `reviewed` field. */
export const REVIEWS = Object.fromEntries(Object.entries(FILES).map(([language, file]) => [language, file.reviewed])) as Record<
  Language,
  Review
>;
