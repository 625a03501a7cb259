import { z } from 'zod';

/**
 * Languages that have a locale file in shared/locales. Adding one = one JSON file + one entry here.
 * uz (Latin script), tg and ky were drafted by the developers and await review by native speakers
 * (see README) before an office enables them.
 */
export const SUPPORTED_LANGUAGES = ['ru', 'en', 'uz', 'tg', 'ky'] as const;
export const LanguageSchema = z.enum(SUPPORTED_LANGUAGES);
export type Language = z.infer<typeof LanguageSchema>;
