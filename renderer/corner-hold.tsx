import { useRef } from 'react';

/** How long the corner must be held: far longer than any tap or brush of an applicant's hand. */
export const CORNER_HOLD_MS = 3_000;

/**
 * The way into the supervisor screen: a 3-second press on the top-left corner of the applicant
 * screen (over the window number, which does nothing when tapped). Invisible and not focusable: it
 * is a staff gesture, not a control applicants are meant to find; lifting the finger or sliding
 * off it cancels. Documented in docs/supervisor.md.
 */
export function CornerHold({ onHold }: { onHold(): void }) {
  const timer = useRef<number | null>(null);
  const cancel = () => {
    if (timer.current !== null) window.clearTimeout(timer.current);
    timer.current = null;
  };
  return (
    <div
      className="corner-hold"
      data-testid="corner-hold"
      aria-hidden="true"
      onPointerDown={() => {
        cancel();
        timer.current = window.setTimeout(onHold, CORNER_HOLD_MS);
      }}
      onPointerUp={cancel}
      onPointerLeave={cancel}
      onPointerCancel={cancel}
    />
  );
}
