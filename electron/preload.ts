import { contextBridge, ipcRenderer } from 'electron';
import {
  IPC_EVENT_CHANNEL,
  ipcChannel,
  METHOD_NAMES,
  type EventName,
  type EventPayload,
  type MethodName,
  type PultApi,
} from '../shared/contract.js';

type Methods = Omit<PultApi, 'on'>;

/** One function per contract method, each bound to its own channel; the names come from the contract. */
const methods = Object.fromEntries(
  METHOD_NAMES.map((method: MethodName) => [method, (input: unknown) => ipcRenderer.invoke(ipcChannel(method), input)]),
) as Methods;

/**
 * Exposes exactly PultApi as `window.pult`: the contract's methods and `on`, nothing that could
 * forward another channel. `satisfies` makes a contract change that is not mirrored here a type error.
 */
export const pultBridge = {
  ...methods,
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
    const relay = (_event: unknown, message: { name: EventName; payload: EventPayload<E> }) => {
      if (message.name === event) listener(message.payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, relay);
    return () => void ipcRenderer.removeListener(IPC_EVENT_CHANNEL, relay);
  },
} satisfies PultApi;

contextBridge.exposeInMainWorld('pult', pultBridge);
