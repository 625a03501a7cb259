import { useTranslation } from 'react-i18next';
import { CSI_RANGE, NPS_RANGE } from '../../shared/answer.js';
import type { ScoreQuestion } from '../../shared/flow.js';
import { Face } from './Face.js';

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * One question, large score buttons: CSI in one row (a column on a portrait stand), NPS in two
 * rows of one neutral colour, so that no colour hints where the promoter cut-off lies. Each
 * button's accessible name is its visible text («1 Очень плохо»): speech users say what they see.
 * Until the screen settled the buttons take no touch (`settled`): see FlowSetup.timeouts.settleMs.
 */
export function ScoreScreen(props: {
  question: ScoreQuestion;
  canSkip: boolean;
  settled: boolean;
  onScore(value: number): void;
  onSkip(): void;
}) {
  const { t } = useTranslation();
  const isCsi = props.question === 'csi';
  const values = isCsi ? range(CSI_RANGE.min, CSI_RANGE.max) : range(NPS_RANGE.min, NPS_RANGE.max);
  const labelOf = (value: number): string | null => {
    if (isCsi) return t(`csi.labels.${value}` as 'csi.labels.1');
    // The ends of the NPS scale say what they mean, on the button itself (two rows have no common end).
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
      <div className={`scores scores--${props.question}`} role="group" aria-labelledby={headingId}>
        {values.map((value) => {
          const label = labelOf(value);
          return (
            <button
              key={value}
              type="button"
              className={`score score--${props.question}`}
              data-value={value}
              disabled={!props.settled}
              onClick={() => props.onScore(value)}
            >
              {isCsi && <Face score={value} />}
              <span className="score__number">{value}</span>
              {label && (
                <>
                  {' '}
                  <span className="score__label">{label}</span>
                </>
              )}
            </button>
          );
        })}
      </div>
      {props.canSkip && (
        <div className="actions">
          <button type="button" className="action action--secondary" disabled={!props.settled} onClick={props.onSkip}>
            {t('actions.skip')}
          </button>
        </div>
      )}
    </section>
  );
}
