import { useTranslation } from 'react-i18next';

/** The box's button that does what this control does: shown on it, and part of its name (WCAG 2.5.3). */
export const BoxKey = ({ button }: { button: number | null | undefined }) =>
  button ? <span className="box-key">{button}</span> : null;

/**
 * «Пропустить» and «Готово» under a screen that collects before it stores (the reasons, the
 * comment), each with the box's button for it when a box is connected.
 */
export function Actions(props: {
  settled: boolean;
  canFinish: boolean;
  onSkip(): void;
  onDone(): void;
  boxKeys?: { skip?: number; done?: number };
}) {
  const { t } = useTranslation();
  return (
    <div className="actions">
      <button type="button" className="action action--secondary" disabled={!props.settled} onClick={props.onSkip}>
        <BoxKey button={props.boxKeys?.skip} />
        {t('actions.skip')}
      </button>
      <button
        type="button"
        className="action action--primary"
        disabled={!props.settled || !props.canFinish}
        onClick={props.onDone}
      >
        <BoxKey button={props.boxKeys?.done} />
        {t('actions.done')}
      </button>
    </div>
  );
}
