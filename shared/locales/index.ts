import type { Language } from '../languages.js';
import en from './en.json' with { type: 'json' };
import ky from './ky.json' with { type: 'json' };
import ru from './ru.json' with { type: 'json' };
import tg from './tg.json' with { type: 'json' };
import uz from './uz.json' with { type: 'json' };

/** Every language's strings, keyed like SUPPORTED_LANGUAGES; a test checks all have the same keys. */
export const LOCALES: Record<Language, typeof ru> = { ru, en, uz, tg, ky };
