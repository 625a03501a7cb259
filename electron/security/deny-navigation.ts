import type { WebContents } from 'electron';

/** The console never leaves its own pages: any navigation away from the app origin is cancelled. */
export function denyNavigation(contents: Pick<WebContents, 'on'>, appOrigin: string): void {
  const guard = (event: { preventDefault(): void }, url: string) => {
    if (originOf(url) !== appOrigin) event.preventDefault();
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
