import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import ru from '../shared/locales/ru.json' with { type: 'json' };
import names from 'virtual:language-names';
import { SUPPORTED_LANGUAGES, type Language } from '../shared/vocabulary.js';

/**
 * Russian comes with the page: it is every console's first language and the one the console speaks
 * before the core answered. The others are separate files, fetched when a console offers them
 * (loadLanguages): a console that offers one language loads one (issue 21: the applicant's initial
 * JavaScript). Their `reviewed` field (shared/locales/index.ts) comes along and is never shown.
 * Each language's own name comes with the page (vite.config.ts, `virtual:language-names`): the
 * language switch names every offered language on the first screen, before its texts are here.
 */
const LATER: Record<Exclude<Language, 'ru'>, () => Promise<{ default: object }>> = {
  en: () => import('../shared/locales/en.json'),
  uz: () => import('../shared/locales/uz.json'),
  tg: () => import('../shared/locales/tg.json'),
  ky: () => import('../shared/locales/ky.json'),
};

export async function initI18n(language: Language): Promise<void> {
  await i18next.use(initReactI18next).init({
    lng: 'ru',
    fallbackLng: false,
    supportedLngs: [...SUPPORTED_LANGUAGES],
    resources: {
      ...Object.fromEntries(SUPPORTED_LANGUAGES.map((l) => [l, { translation: { language: { self: names[l] } } }])),
      ru: { translation: ru },
    },
    partialBundledLanguages: true,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  await loadLanguages([language]);
  await i18next.changeLanguage(language);
}

/** The languages whose texts are all here (the others have only their own name). */
const loaded = new Set<Language>(['ru']);

/** True when every one of `languages` can be drawn now. */
export const hasLanguages = (languages: readonly Language[]): boolean => languages.every((language) => loaded.has(language));

/** Fetches the texts of those of `languages` not here yet (each once; a failed fetch is tried again next time). */
export async function loadLanguages(languages: readonly Language[]): Promise<void> {
  await Promise.all(
    languages.map(async (language) => {
      if (language === 'ru' || hasLanguages([language])) return;
      const { default: texts } = await LATER[language]();
      i18next.addResourceBundle(language, 'translation', texts, true, true);
      loaded.add(language);
    }),
  );
}

export { i18next };
