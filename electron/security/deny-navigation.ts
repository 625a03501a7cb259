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

/** scheme://host — computed by hand because WHATWG URL gives custom schemes (app://) the origin "null". */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.host ? `${parsed.protocol}//${parsed.host}` : null;
  } catch {
    return null;
  }
}
