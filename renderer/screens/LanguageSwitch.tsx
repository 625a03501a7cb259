import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../shared/languages.js';

/**
 * One button per enabled language, each named in its own language («Русский», «English»). Drawn
 * again only when its language, the languages or the handler change, not with every screen.
 */
export const LanguageSwitch = memo(function LanguageSwitch(props: {
  enabled: Language[];
  current: Language;
  onChoose(language: Language): void;
}) {
  const { t, i18n } = useTranslation();
  if (props.enabled.length < 2) return null;
  return (
    <nav className="languages" aria-label={t('language.switcher')}>
      {props.enabled.map((language) => (
        <button
          key={language}
          type="button"
          lang={language}
          className="languages__button"
          aria-pressed={language === props.current}
          onClick={() => props.onChoose(language)}
        >
          {i18n.getFixedT(language)('language.self')}
        </button>
      ))}
    </nav>
  );
});
