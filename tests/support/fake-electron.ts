import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

/**
 * A stand-in for the `electron` module, enough for the shell's unit tests: the Electron runtime
 * cannot be downloaded on these machines, so the shell is proven by the type checker, these
 * fakes, and electronegativity. Each fake records what the shell asked of it.
 */
export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  reload = vi.fn();
  closeDevTools = vi.fn();
  send = vi.fn();
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static created: FakeBrowserWindow[] = [];
  webContents = new FakeWebContents();
  loadURL = vi.fn(async () => {});
  removeMenu = vi.fn();
  show = vi.fn();
  focus = vi.fn();
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.created.push(this);
  }
}

export const fakeApp = Object.assign(new EventEmitter(), {
  isPackaged: true,
  whenReady: vi.fn(() => Promise.resolve()),
  requestSingleInstanceLock: vi.fn(() => true),
  relaunch: vi.fn(),
  exit: vi.fn(),
  quit: vi.fn(),
  getLocale: vi.fn(() => 'ru-RU'),
});

export const fakeSession = {
  setPermissionRequestHandler: vi.fn(),
  setPermissionCheckHandler: vi.fn(),
  setDevicePermissionHandler: vi.fn(),
};

export const fakeProtocol = {
  registerSchemesAsPrivileged: vi.fn(),
  handle: vi.fn(),
};

export const fakeIpcMain = { handle: vi.fn() };
export const fakeIpcRenderer = { invoke: vi.fn(async () => ({ ok: true, value: null })), on: vi.fn(), removeListener: vi.fn() };
export const fakeContextBridge = { exposeInMainWorld: vi.fn() };
export const fakeDialog = { showErrorBox: vi.fn() };

export const electronModule = {
  app: fakeApp,
  BrowserWindow: FakeBrowserWindow,
  session: { defaultSession: fakeSession },
  protocol: fakeProtocol,
  ipcMain: fakeIpcMain,
  ipcRenderer: fakeIpcRenderer,
  contextBridge: fakeContextBridge,
  dialog: fakeDialog,
};
