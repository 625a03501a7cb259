import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { EVENT_NAMES, IPC_EVENT_CHANNEL, ipcChannel, METHOD_NAMES } from '../shared/contract.js';
import { fail } from '../shared/result.js';
import type { CoreLink } from '../core/link.js';
import { originOf } from './security/deny-navigation.js';

/** Only the console's own page (app://pult) may call the core; anything else gets a typed refusal. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, appOrigin: string): boolean {
  const url = event.senderFrame?.url;
  return typeof url === 'string' && originOf(url) === appOrigin;
}

/** Routes exactly the contract's methods, one channel each; no generic "send anything" bridge. */
export function bindIpc(ipcMain: Pick<IpcMain, 'handle'>, core: CoreLink, appOrigin: string): void {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(ipcChannel(method), (event, input: unknown) =>
      isTrustedSender(event, appOrigin)
        ? core.invoke(method, input)
        : fail('invalid_input', `${method}: caller is not the console page`),
    );
  }
}

/** Forwards core events to the console window. */
export function forwardEvents(core: CoreLink, send: (channel: string, message: unknown) => void): () => void {
  const offs = EVENT_NAMES.map((name) => core.on(name, (payload) => send(IPC_EVENT_CHANNEL, { name, payload })));
  return () => offs.forEach((off) => off());
}
