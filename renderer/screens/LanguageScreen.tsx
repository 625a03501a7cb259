import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { BoxKey } from './Actions.js';
import type { Language } from '../../shared/languages.js';

/**
 * «Выберите язык», the flow's first screen when the office puts it there: each enabled language a
 * big button named in its own language, with the box's button for it (button n is the n-th).
 */
export function LanguageScreen(props: {
  enabled: Language[];
  boxButtons: number | null;
  settled: boolean;
  onChoose(language: Language): void;
}) {
  const { t, i18n } = useTranslation();
  // Two rows at most: 5 languages in 3 + 2, 4 in 2 + 2.
  const columns = props.enabled.length <= 3 ? props.enabled.length : Math.ceil(props.enabled.length / 2);
  return (
    <section className="question question--language" aria-labelledby="language-question">
      <h1 id="language-question" className="question__text">
        {t('language.choose')}
      </h1>
      <div
        className="language-choice"
        role="group"
        aria-labelledby="language-question"
        style={{ '--columns': columns } as CSSProperties}
      >
        {props.enabled.map((language, index) => (
          <button
            key={language}
            type="button"
            lang={language}
            className="language-choice__button"
            data-language={language}
            aria-keyshortcuts={String(index + 1)}
            disabled={!props.settled}
            onClick={() => props.onChoose(language)}
          >
            <BoxKey button={props.boxButtons ? index + 1 : null} />
            {i18n.getFixedT(language)('language.self')}
          </button>
        ))}
      </div>
    </section>
  );
}
