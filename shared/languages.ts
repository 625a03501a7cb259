import { z } from 'zod';

/** Languages that have a locale file in shared/locales. Adding one = one JSON file + one entry here. */
export const SUPPORTED_LANGUAGES = ['ru', 'en'] as const;
export const LanguageSchema = z.enum(SUPPORTED_LANGUAGES);
export type Language = z.infer<typeof LanguageSchema>;
