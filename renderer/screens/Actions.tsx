import { useTranslation } from 'react-i18next';

/** «Пропустить» and «Готово» under a screen that collects before it stores (the reasons, the comment). */
export function Actions(props: { settled: boolean; canFinish: boolean; onSkip(): void; onDone(): void }) {
  const { t } = useTranslation();
  return (
    <div className="actions">
      <button type="button" className="action action--secondary" disabled={!props.settled} onClick={props.onSkip}>
        {t('actions.skip')}
      </button>
      <button
        type="button"
        className="action action--primary"
        disabled={!props.settled || !props.canFinish}
        onClick={props.onDone}
      >
        {t('actions.done')}
      </button>
    </div>
  );
}
