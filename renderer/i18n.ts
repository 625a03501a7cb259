import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { LOCALES } from '../shared/locales/index.js';
import { SUPPORTED_LANGUAGES, type Language } from '../shared/vocabulary.js';

export async function initI18n(language: Language): Promise<void> {
  await i18next.use(initReactI18next).init({
    lng: language,
    fallbackLng: false,
    supportedLngs: [...SUPPORTED_LANGUAGES],
    resources: Object.fromEntries(Object.entries(LOCALES).map(([lng, strings]) => [lng, { translation: strings }])),
    interpolation: { escapeValue: false },
    returnNull: false,
  });
}

export { i18next };
