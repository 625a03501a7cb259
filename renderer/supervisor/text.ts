import { createContext, useContext } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { PultError } from '../../shared/result.js';
import { i18next } from '../i18n.js';
import en from '../../shared/locales/supervisor/en.json' with { type: 'json' };
import ru from '../../shared/locales/supervisor/ru.json' with { type: 'json' };
import adminEn from '../../shared/admin/locales/en.json' with { type: 'json' };
import adminRu from '../../shared/admin/locales/ru.json' with { type: 'json' };

/** The supervisor screen speaks Russian or English (staff, not applicants); its words load with its code. */
export type StaffLanguage = 'ru' | 'en';
export const STAFF_LANGUAGES: StaffLanguage[] = ['ru', 'en'];

/** The config rules' words (shared with `pult config validate`) name what a refused setting breaks. */
i18next.addResourceBundle('ru', 'supervisor', { ...ru, rules: adminRu.config }, true, true);
i18next.addResourceBundle('en', 'supervisor', { ...en, rules: adminEn.config }, true, true);

export const StaffLanguageContext = createContext<StaffLanguage>('ru');

/** The supervisor's words in the language chosen on the supervisor screen. */
export function useStaffText() {
  const lng = useContext(StaffLanguageContext);
  const { t } = useTranslation('supervisor', { lng });
  return { t, lng };
}

/** A failed call in the supervisor's words: what kind of failure, with the core's detail. */
export const failureText = (t: TFunction<'supervisor'>, error: PultError): string =>
  t([`failure.${error.code}`, 'failure.other'], { message: error.message });
