import type { PultApi } from '../../shared/contract.js';
import { createHttpClient } from './http-client.js';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser, where the host's HTTP API is used. */
    pult?: PultApi;
  }
}

/** The one way the screens reach the core, whichever shell they run in. */
export const api: PultApi = window.pult ?? createHttpClient(window.location.href);
