/**
 * The names of the contract's methods and events, free of zod so that the sandboxed Electron
 * preload can import them without bundling the schemas. `contract.ts` is checked against these.
 */
export const METHOD_NAMES = ['getConsole', 'recordAnswer', 'getStatus'] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

export const EVENT_NAMES = ['status'] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/** Electron IPC channel of a method; the preload and the main process both use this. */
export const ipcChannel = (method: MethodName): string => `pult:${method}`;
export const IPC_EVENT_CHANNEL = 'pult:event';

export const isMethodName = (name: string): name is MethodName => (METHOD_NAMES as readonly string[]).includes(name);
