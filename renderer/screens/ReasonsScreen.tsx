import { useTranslation } from 'react-i18next';
import { REASONS, type Reason } from '../../shared/answer.js';

/** «Что пошло не так?» — toggle chips, several may be chosen; «Готово» stores them, «Пропустить» does not. */
export function ReasonsScreen(props: {
  selected: Reason[];
  settled: boolean;
  onToggle(reason: Reason): void;
  onDone(): void;
  onSkip(): void;
}) {
  const { t } = useTranslation();
  return (
    <section className="question question--reasons" aria-labelledby="reasons-question">
      <h1 id="reasons-question" className="question__text">
        {t('reasons.question')}
      </h1>
      <p className="question__hint">{t('reasons.hint')}</p>
      <div className="reasons" role="group" aria-labelledby="reasons-question">
        {REASONS.map((reason, index) => (
          <button
            key={reason}
            type="button"
            className="reason"
            data-reason={reason}
            aria-pressed={props.selected.includes(reason)}
            aria-keyshortcuts={String(index + 1)}
            disabled={!props.settled}
            onClick={() => props.onToggle(reason)}
          >
            {t(`reasons.items.${reason}`)}
          </button>
        ))}
      </div>
      <div className="actions">
        <button type="button" className="action action--secondary" disabled={!props.settled} onClick={props.onSkip}>
          {t('actions.skip')}
        </button>
        <button
          type="button"
          className="action action--primary"
          onClick={props.onDone}
          disabled={!props.settled || props.selected.length === 0}
        >
          {t('actions.done')}
        </button>
      </div>
    </section>
  );
}
