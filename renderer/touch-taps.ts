import { useEffect, useLayoutEffect, useRef, useState } from 'react';

/**
 * How long a finger rests on a button, or its press waits for the core, before the button looks
 * pressed. A reply sooner than this is drawn as the next screen: that is the answer to the touch.
 */
export const PRESSED_LOOK_AFTER_MS = 50;

/** A look that stayed because no new view came (a press the core ignored) goes after this. */
const PRESSED_LOOK_AT_MOST_MS = 1_000;

/**
 * A finger on one of the applicant's buttons is a tap the console reads itself: the touchstart is
 * cancelled and the button is clicked when the finger lifts over it — so the screen's handlers
 * (onClick) stay the one way a button acts, for a finger, a mouse or a key alike.
 *
 * Why: Chromium holds the page's socket and network tasks — the core's reply to the press — back
 * to the frame after next in two cases: after a touchstart nobody cancelled (its scheduler waits
 * to learn whether the page takes the gesture), and when handling the touch changed anything to
 * draw (it draws that first). So the touch itself changes nothing on the screen: the pressed look
 * comes by a timer, only when the next screen is late (docs/BENCHMARKS.md b1, b1e).
 *
 * A button inside a box that scrolls (the vision panel in large text) is left to the browser: a
 * finger that lands on it may mean to scroll. A tap is dropped when the finger slides off the
 * button, a second finger lands, or the screen changed under the finger: it answers only the
 * screen it was started on. `view` is the session's view: a new one ends the pressed look.
 */
export function useTouchTaps(view: { screenId: string } | null, active = true): void {
  const screen = useRef(view?.screenId);
  screen.current = view?.screenId;
  const [look] = useState(() => new PressedLook());
  // Before the paint: a button the next screen reuses is never drawn pressed.
  useLayoutEffect(() => look.end(), [look, view]);
  useEffect(() => {
    if (!active) return;
    let tap: { button: HTMLButtonElement; finger: number; screenId: string | undefined } | null = null;
    const drop = () => {
      look.end();
      tap = null;
    };
    const onStart = (event: TouchEvent) => {
      if (tap || event.touches.length > 1) return drop();
      const button = buttonAt(event.target);
      if (!button || scrolls(button)) return;
      event.preventDefault();
      tap = { button, finger: event.changedTouches[0]!.identifier, screenId: screen.current };
      look.start(button);
    };
    const onMove = (event: TouchEvent) => {
      const finger = tap && fingerOf(event, tap.finger);
      if (tap && finger && buttonUnder(finger) !== tap.button) drop();
    };
    const onEnd = (event: TouchEvent) => {
      const finger = tap && fingerOf(event, tap.finger);
      if (!tap || !finger) return;
      event.preventDefault();
      const { button, screenId } = tap;
      tap = null;
      if (buttonUnder(finger) !== button || !button.isConnected || screenId !== screen.current || button.disabled)
        return look.end();
      look.lift();
      button.click();
    };
    const options = { capture: true, passive: false };
    window.addEventListener('touchstart', onStart, options);
    window.addEventListener('touchmove', onMove, options);
    window.addEventListener('touchend', onEnd, options);
    window.addEventListener('touchcancel', drop, options);
    return () => {
      drop();
      window.removeEventListener('touchstart', onStart, options);
      window.removeEventListener('touchmove', onMove, options);
      window.removeEventListener('touchend', onEnd, options);
      window.removeEventListener('touchcancel', drop, options);
    };
  }, [active, look]);
}

/** The pressed look of the button under a finger (`data-pressed`), drawn only once it is late. */
class PressedLook {
  private button: HTMLButtonElement | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Which touch the look is of: a later touch on the same button is not ended by this one's timer. */
  private touch = 0;

  start(button: HTMLButtonElement): void {
    this.end();
    this.button = button;
    this.timer = setTimeout(() => !button.disabled && (button.dataset.pressed = ''), PRESSED_LOOK_AFTER_MS);
  }

  /** The finger lifted and the press went to the core: the look stays until the next view. */
  lift(): void {
    const touch = this.touch;
    if (this.button) setTimeout(() => touch === this.touch && this.end(), PRESSED_LOOK_AT_MOST_MS);
  }

  end(): void {
    this.touch++;
    clearTimeout(this.timer);
    if (this.button && 'pressed' in this.button.dataset) delete this.button.dataset.pressed;
    this.button = null;
  }
}

const buttonAt = (target: EventTarget | null): HTMLButtonElement | null =>
  target instanceof Element ? target.closest('button') : null;

const buttonUnder = (finger: Touch): HTMLButtonElement | null =>
  buttonAt(document.elementFromPoint(finger.clientX, finger.clientY));

const fingerOf = (event: TouchEvent, finger: number): Touch | undefined =>
  Array.from(event.changedTouches).find((touch) => touch.identifier === finger);

/** True when an ancestor of `element` can scroll now: a finger there may be starting a scroll. */
function scrolls(element: Element): boolean {
  for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
    const { overflowY } = getComputedStyle(box);
    if ((overflowY === 'auto' || overflowY === 'scroll') && box.scrollHeight > box.clientHeight) return true;
  }
  return false;
}
