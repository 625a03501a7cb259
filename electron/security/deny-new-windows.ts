import type { WebContents } from 'electron';

/** No pop-ups, no `target=_blank`, no window.open: the kiosk has exactly one window. */
export function denyNewWindows(contents: Pick<WebContents, 'setWindowOpenHandler'>): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
