import { contextBridge, ipcRenderer } from 'electron';
import { IPC_EVENT_CHANNEL, ipcChannel, type EventName } from '../shared/api-names.js';
import type { EventPayload, PultApi } from '../shared/contract.js';

/**
 * Exposes exactly PultApi as `window.pult` — one named function per contract method, each bound
 * to its own channel. `satisfies` makes a contract change that is not mirrored here a type error.
 */
export const pultBridge = {
  getConsole: (input) => ipcRenderer.invoke(ipcChannel('getConsole'), input),
  recordAnswer: (input) => ipcRenderer.invoke(ipcChannel('recordAnswer'), input),
  getStatus: (input) => ipcRenderer.invoke(ipcChannel('getStatus'), input),
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
    const relay = (_event: unknown, message: { name: EventName; payload: EventPayload<E> }) => {
      if (message.name === event) listener(message.payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, relay);
    return () => void ipcRenderer.removeListener(IPC_EVENT_CHANNEL, relay);
  },
} satisfies PultApi;

contextBridge.exposeInMainWorld('pult', pultBridge);
