import { useTranslation } from 'react-i18next';
import { Actions, BoxKey } from './Actions.js';
import type { Reason } from '../../shared/answer.js';
import { isBuiltInReason } from '../../shared/vocabulary.js';
import type { ReasonChoice } from '../../shared/config.js';
import type { Language } from '../../shared/languages.js';

/**
 * «Что пошло не так?» — toggle chips in the config's order, several may be chosen; «Готово» stores
 * them, «Пропустить» does not. Our reasons' words are in the locales, unless the office gave its
 * own; an office's own reason always brings its words (the config is refused without them).
 */
export function ReasonsScreen(props: {
  reasons: readonly ReasonChoice[];
  language: Language;
  /** A box's buttons (null: none): 1…n−1 choose the first reasons, n is «Готово». */
  boxButtons: number | null;
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
        {props.reasons.map(({ id, label }, index) => (
          <button
            key={id}
            type="button"
            className="reason"
            data-reason={id}
            aria-pressed={props.selected.includes(id)}
            aria-keyshortcuts={String(index + 1)}
            disabled={!props.settled}
            onClick={() => props.onToggle(id)}
          >
            <BoxKey button={props.boxButtons && index < props.boxButtons - 1 ? index + 1 : null} />
            {label?.[props.language] ?? (isBuiltInReason(id) ? t(`reasons.items.${id}`) : id)}
          </button>
        ))}
      </div>
      <Actions
        settled={props.settled}
        canFinish={props.selected.length > 0}
        onSkip={props.onSkip}
        onDone={props.onDone}
        boxKeys={{ done: props.boxButtons ?? undefined }}
      />
    </section>
  );
}
