import { useTranslation } from 'react-i18next';
import { MKGU_QUESTIONS, rangeOf, NPS_RANGE, type MkguQuestion } from '../../shared/vocabulary.js';
import type { ScoreQuestion } from '../../shared/flow.js';
import { Face } from './Face.js';

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

const isCriterion = (question: ScoreQuestion): question is MkguQuestion =>
  (MKGU_QUESTIONS as readonly string[]).includes(question);

/**
 * One question, large score buttons: CSI in one row (a column on a portrait stand), NPS in two
 * rows of one neutral colour, so that no colour hints where the promoter cut-off lies; a federal
 * criterion in one row of five neutral buttons, each with its word («Очень плохо» … «Отлично»). Each
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
  const criterion = isCriterion(props.question);
  // Which of the five this is: «Оцените по критерию 2 из 5».
  const step = (MKGU_QUESTIONS as readonly string[]).indexOf(props.question) + 1;
  const { min, max } = rangeOf(props.question);
  const values = range(min, max);
  const kind = criterion ? 'criterion' : props.question;
  const labelOf = (value: number): string | null => {
    if (isCsi) return t(`csi.labels.${value}` as 'csi.labels.1');
    if (criterion) return t(`mkgu.labels.${value}` as 'mkgu.labels.1');
    // The ends of the NPS scale say what they mean, on the button itself (two rows have no common end).
    if (value === NPS_RANGE.min) return t('nps.low');
    if (value === NPS_RANGE.max) return t('nps.high');
    return null;
  };
  const headingId = `${props.question}-question`;

  return (
    <section className={`question question--${kind}`} aria-labelledby={headingId}>
      {criterion && <p className="question__step">{t('mkgu.step', { n: step })}</p>}
      <h1 id={headingId} className="question__text">
        {t(`${props.question}.question`)}
      </h1>
      {props.question === 'nps' && <p className="question__hint">{t('nps.scale')}</p>}
      <div className={`scores scores--${kind}`} role="group" aria-labelledby={headingId}>
        {values.map((value) => {
          const label = labelOf(value);
          return (
            <button
              key={value}
              type="button"
              className={`score score--${kind}`}
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
