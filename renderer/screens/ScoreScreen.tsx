import { useTranslation } from 'react-i18next';
import { CSI_RANGE, NPS_RANGE } from '../../shared/answer.js';
import type { ScoreQuestion } from '../../shared/flow.js';
import { Face } from './Face.js';

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** One question, one row of large score buttons. Accessible names begin with the number. */
export function ScoreScreen(props: { question: ScoreQuestion; canSkip: boolean; onScore(value: number): void; onSkip(): void }) {
  const { t } = useTranslation();
  const isCsi = props.question === 'csi';
  const values = isCsi ? range(CSI_RANGE.min, CSI_RANGE.max) : range(NPS_RANGE.min, NPS_RANGE.max);
  const labelOf = (value: number): string | null => {
    if (isCsi) return t(`csi.labels.${value}` as 'csi.labels.1');
    if (value === NPS_RANGE.min) return t('nps.low');
    if (value === NPS_RANGE.max) return t('nps.high');
    return null;
  };
  const headingId = `${props.question}-question`;

  return (
    <section className={`question question--${props.question}`} aria-labelledby={headingId}>
      <h1 id={headingId} className="question__text">
        {t(`${props.question}.question`)}
      </h1>
      {!isCsi && <p className="question__hint">{t('nps.scale')}</p>}
      <div className="scores" role="group" aria-labelledby={headingId}>
        {values.map((value) => {
          const label = labelOf(value);
          return (
            <button
              key={value}
              type="button"
              className={`score score--${props.question}`}
              data-value={value}
              aria-label={label ? t('score.name', { value, label }) : String(value)}
              onClick={() => props.onScore(value)}
            >
              {isCsi && <Face score={value} />}
              <span className="score__number" aria-hidden="true">
                {value}
              </span>
              {isCsi && label && (
                <span className="score__label" aria-hidden="true">
                  {label}
                </span>
              )}
            </button>
          );
        })}
      </div>
      {!isCsi && (
        <div className="scores__ends" aria-hidden="true">
          <span>{t('nps.low')}</span>
          <span>{t('nps.high')}</span>
        </div>
      )}
      {props.canSkip && (
        <div className="actions">
          <button type="button" className="action action--secondary" onClick={props.onSkip}>
            {t('actions.skip')}
          </button>
        </div>
      )}
    </section>
  );
}
