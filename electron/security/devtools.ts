import type { WebContents } from 'electron';

/** Belt and braces for `devTools: false`: in production devtools close the moment they open. */
export function forbidDevtools(contents: Pick<WebContents, 'on' | 'closeDevTools'>, isPackaged: boolean): void {
  if (!isPackaged) return;
  contents.on('devtools-opened', () => contents.closeDevTools());
}
