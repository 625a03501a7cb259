import { useEffect } from 'react';
import type { ConsoleStoreState } from './store.js';

/**
 * Inputs that are not taps on a button: keys 0–9 (button boxes that present themselves as a USB
 * keyboard) and no context menu. Not while the supervisor screen is open (its PIN pad takes digits). Time (idle reset, end of «Спасибо!») is the core's.
 */
export function useConsoleInputs(press: ConsoleStoreState['press'], active = true): void {
  useEffect(() => {
    if (!active) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.repeat || event.ctrlKey || event.altKey || event.metaKey) return;
      if (!/^[0-9]$/.test(event.key)) return;
      event.preventDefault();
      void press('keyboard', { type: 'score', value: Number(event.key) });
    };
    const noMenu = (event: Event) => event.preventDefault();
    window.addEventListener('keydown', onKey);
    window.addEventListener('contextmenu', noMenu);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('contextmenu', noMenu);
    };
  }, [press, active]);
}
