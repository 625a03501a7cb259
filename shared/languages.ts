import { z } from 'zod';
import { SUPPORTED_LANGUAGES } from './vocabulary.js';

export { SUPPORTED_LANGUAGES } from './vocabulary.js';
export type { Language } from './vocabulary.js';
export const LanguageSchema = z.enum(SUPPORTED_LANGUAGES);
