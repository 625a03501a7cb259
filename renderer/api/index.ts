import type { PultApi } from '../../shared/contract.js';
import { createHttpClient, type LinkWatch } from './http-client.js';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser, where the host's HTTP API is used. */
    pult?: PultApi;
  }
}

/** Electron's IPC to its own core cannot drop; the browser's link to the host can, and says so. */
function shell(): { api: PultApi; link?: LinkWatch } {
  if (window.pult) return { api: window.pult };
  const http = createHttpClient(window.location.href);
  return { api: http, link: http.link };
}

/** The one way the screens reach the core, whichever shell they run in. */
export const { api, link } = shell();
