import { z } from 'zod';
import type { Language } from '../languages.js';
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
 * table shows the same (a test compares them).
 */
const ReviewSchema = z.strictObject({ by: z.string().trim().min(1), on: z.iso.date() }).nullable();
export type Review = z.output<typeof ReviewSchema>;

const FILES: Record<Language, LocaleFile> = { ru, en, uz, tg, ky };

const textsOf = ({ reviewed: _reviewed, ...strings }: LocaleFile): Strings => strings;

/** Every language's strings, keyed like SUPPORTED_LANGUAGES; a test checks all have the same keys. */
export const LOCALES = Object.fromEntries(Object.entries(FILES).map(([language, file]) => [language, textsOf(file)])) as Record<
  Language,
  Strings
>;

/** Each language's review, read from its locale file's `reviewed` field. */
export const REVIEWS = Object.fromEntries(
  Object.entries(FILES).map(([language, file]) => [language, ReviewSchema.parse(file.reviewed)]),
) as Record<Language, Review>;
