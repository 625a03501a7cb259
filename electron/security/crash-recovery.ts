import type { App, WebContents } from 'electron';

const WINDOW_MS = 60_000;
const MAX_RELOADS = 3;

/**
 * A crashed or hung renderer must not leave a dead screen at a service window: reload it; a
 * fourth crash within a minute means reloading does not help, so relaunch the whole app.
 */
export function recoverFromCrashes(
  contents: Pick<WebContents, 'on' | 'reload'>,
  app: Pick<App, 'relaunch' | 'exit'>,
  now: () => number = Date.now,
): void {
  const crashes: number[] = [];
  const recover = () => {
    const at = now();
    while (crashes.length && at - crashes[0]! > WINDOW_MS) crashes.shift();
    crashes.push(at);
    if (crashes.length > MAX_RELOADS) {
      app.relaunch();
      app.exit(0);
      return;
    }
    contents.reload();
  };
  contents.on('render-process-gone', (_event, details) => {
    if (details.reason !== 'clean-exit') recover();
  });
  contents.on('unresponsive', recover);
}
