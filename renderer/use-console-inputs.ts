import { useEffect } from 'react';
import type { FlowInput } from '../shared/flow.js';

const TICK_MS = 200;

/**
 * Inputs that are not taps on a button: keys 0–9 (button boxes that present themselves as a USB
 * keyboard), the passing of time (idle reset, end of «Спасибо!»), and no context menu.
 */
export function useConsoleInputs(dispatch: (input: FlowInput) => Promise<void>): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.repeat || event.ctrlKey || event.altKey || event.metaKey) return;
      if (!/^[0-9]$/.test(event.key)) return;
      event.preventDefault();
      void dispatch({ type: 'score', value: Number(event.key), source: 'keyboard' });
    };
    const noMenu = (event: Event) => event.preventDefault();
    const timer = window.setInterval(() => void dispatch({ type: 'tick' }), TICK_MS);
    window.addEventListener('keydown', onKey);
    window.addEventListener('contextmenu', noMenu);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('contextmenu', noMenu);
    };
  }, [dispatch]);
}
