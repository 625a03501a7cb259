import type { Input, WebContents } from 'electron';

/**
 * Key chords that would let an applicant escape or tamper with the kiosk: reload, devtools,
 * close, zoom, print, find, view source, fullscreen toggle. Digits and plain letters pass through.
 */
export function isEscapeShortcut(input: Pick<Input, 'key' | 'control' | 'meta' | 'alt' | 'shift'>): boolean {
  const key = input.key.toLowerCase();
  const command = input.control || input.meta;
  if (/^f([1-9]|1[0-2])$/.test(key)) return true; // F5 reload, F11 fullscreen, F12 devtools…
  if (input.alt && (key === 'f4' || key === 'arrowleft' || key === 'arrowright' || key === 'home')) return true;
  if (command && ['r', 'w', 'q', 'n', 't', 'p', 'f', 'g', 'o', 's', 'u', 'j', 'i', 'l', 'h', '+', '-', '=', '0'].includes(key))
    return true;
  if (key === 'browserback' || key === 'browserforward' || key === 'browserrefresh' || key === 'browserhome') return true;
  return false;
}

export function swallowEscapeShortcuts(contents: Pick<WebContents, 'on'>): void {
  contents.on('before-input-event', (event, input) => {
    if (isEscapeShortcut(input)) event.preventDefault();
  });
}
