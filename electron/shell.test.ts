import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { METHOD_NAMES, ipcChannel } from '../shared/contract.js';
import { DEMO_CONFIG, PultConfigSchema } from '../shared/config.js';
import { PultService } from '../core/service.js';
import {
  electronModule,
  fakeContextBridge,
  fakeDialog,
  fakeIpcMain,
  fakeIpcRenderer,
  fakeProtocol,
  FakeBrowserWindow,
} from '../tests/support/fake-electron.js';
import { useTempDirs } from '../tests/support/temp-dir.js';
import { QUICK_CONSOLE, touchOn } from '../tests/support/press.js';
import { bindIpc } from './ipc.main.js';
import { APP_ENTRY, APP_ORIGIN, registerAppProtocol, resolveAppFile } from './app-protocol.js';

vi.mock('electron', () => electronModule);

const tempDir = useTempDirs();

type Handler = (
  event: { senderFrame: { url: string } | null },
  input: unknown,
) => Promise<{ ok: boolean; error?: { code: string } }>;

describe('IPC binding', () => {
  it('routes exactly the contract methods, each on its own channel', async () => {
    const ipcMain = { handle: vi.fn() };
    const service = await PultService.open({ dataDir: tempDir(), config: PultConfigSchema.parse(DEMO_CONFIG) });
    bindIpc(ipcMain, service.link, APP_ORIGIN);
    expect(ipcMain.handle.mock.calls.map((call) => call[0])).toEqual(METHOD_NAMES.map(ipcChannel));
    await service.close();
  });

  it('stores for the console page and refuses any other sender, writing nothing', async () => {
    const ipcMain = { handle: vi.fn() };
    const config = PultConfigSchema.parse({ ...DEMO_CONFIG, ...QUICK_CONSOLE });
    const service = await PultService.open({ dataDir: tempDir(), config });
    bindIpc(ipcMain, service.link, APP_ORIGIN);
    const press = ipcMain.handle.mock.calls.find((call) => call[0] === ipcChannel('press'))![1] as Handler;
    const five = () => touchOn(service.session.view().screenId, { type: 'score', value: 5 });
    expect(await press({ senderFrame: { url: 'https://evil.example/' } }, five())).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await press({ senderFrame: null }, five())).toMatchObject({ ok: false });
    expect(service.status.read().answersStored).toBe(0);
    expect(await press({ senderFrame: { url: APP_ENTRY } }, five())).toMatchObject({ ok: true });
    expect(await press({ senderFrame: { url: APP_ENTRY } }, { ...five(), flags: ['misuse'] })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(service.status.read().answersStored).toBe(1);
    await service.close();
  });
});

describe('preload', () => {
  it('exposes exactly PultApi as window.pult, one channel per method', async () => {
    await import('./preload.js');
    expect(fakeContextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [name, api] = fakeContextBridge.exposeInMainWorld.mock.calls[0] as [
      string,
      Record<string, (input: unknown) => unknown>,
    ];
    expect(name).toBe('pult');
    expect(Object.keys(api).sort()).toEqual([...METHOD_NAMES, 'on'].sort());
    await api.press!({ question: 'csi' });
    expect(fakeIpcRenderer.invoke).toHaveBeenCalledWith(ipcChannel('press'), { question: 'csi' });
  });
});

describe('app:// protocol', () => {
  const root = path.resolve('dist/renderer');

  it('maps app://pult paths into the renderer folder and nothing outside it', () => {
    expect(resolveAppFile('app://pult/index.html', root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile('app://pult/', root)).toBe(path.join(root, 'index.html'));
    // The URL parser folds "%2e%2e" segments, so this stays inside the folder (and is a 404 there).
    expect(resolveAppFile('app://pult/%2e%2e/%2e%2e/etc/passwd', root)).toBe(path.join(root, 'etc/passwd'));
    expect(resolveAppFile('app://pult/..%2F..%2Fetc%2Fpasswd', root)).toBeNull();
    expect(resolveAppFile('app://other/index.html', root)).toBeNull();
    expect(resolveAppFile('https://pult/index.html', root)).toBeNull();
  });

  it('serves files with the CSP and 404s the rest', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'index.html'), '<h1>pult</h1>');
    const protocol = { handle: vi.fn() };
    registerAppProtocol(protocol, dir);
    const handler = protocol.handle.mock.calls[0]![1] as (request: Request) => Promise<Response>;
    const page = await handler(new Request('app://pult/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(await page.text()).toBe('<h1>pult</h1>');
    expect((await handler(new Request('app://pult/missing.js'))).status).toBe(404);
  });
});

describe('main process', () => {
  const dataDir = path.join(process.env.TMPDIR ?? '/tmp', `pult-main-test-${process.pid}`);
  beforeAll(async () => {
    process.env.PULT_DATA_DIR = dataDir;
    await import('./main.js');
    await vi.waitFor(() => expect(FakeBrowserWindow.created).toHaveLength(1));
  });
  afterAll(() => {
    electronModule.app.emit('before-quit');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('registers app:// as a privileged scheme before the app is ready', () => {
    expect(fakeProtocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([expect.objectContaining({ scheme: 'app' })]);
  });

  it('opens one kiosk window with the secure preferences and loads app://pult', async () => {
    const window = FakeBrowserWindow.created[0]!;
    expect(window.options).toMatchObject({
      kiosk: true,
      webPreferences: {
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        webviewTag: false,
        devTools: false,
      },
    });
    expect(String((window.options.webPreferences as { preload: string }).preload)).toMatch(/preload\.cjs$/);
    await vi.waitFor(() => expect(window.loadURL).toHaveBeenCalledWith(APP_ENTRY));
    expect(fakeIpcMain.handle.mock.calls.map((call) => call[0])).toEqual(METHOD_NAMES.map(ipcChannel));
    expect(window.webContents.listenerCount('before-input-event')).toBe(1);
    expect(window.webContents.listenerCount('render-process-gone')).toBe(1);
  });

  it('every web contents created gets the navigation rules', () => {
    const { FakeWebContents } = {
      FakeWebContents: FakeBrowserWindow.created[0]!.webContents.constructor as new () => InstanceType<
        typeof FakeBrowserWindow
      >['webContents'],
    };
    const contents = new FakeWebContents();
    electronModule.app.emit('web-contents-created', {}, contents);
    expect(contents.listenerCount('will-navigate')).toBe(1);
    expect(contents.windowOpenHandler?.({ url: 'x' })).toEqual({ action: 'deny' });
  });
});

describe('main process that cannot start', () => {
  const dir = useTempDirs();

  it('shows IT staff what is wrong, in Russian on a Russian system, and exits with the CLI code', async () => {
    const root = dir();
    const configFile = path.join(root, 'bad.json');
    fs.writeFileSync(configFile, JSON.stringify({ ...DEMO_CONFIG, timeouts: { idleMs: 'soon' } }));
    vi.stubEnv('PULT_DATA_DIR', path.join(root, 'data'));
    vi.stubEnv('PULT_CONFIG', configFile);
    vi.stubEnv('PULT_LANG', '');
    vi.stubEnv('LC_ALL', '');
    vi.stubEnv('LC_MESSAGES', '');
    vi.stubEnv('LANG', '');
    const windowsBefore = FakeBrowserWindow.created.length;
    vi.resetModules();
    await import('./main.js');

    await vi.waitFor(() => expect(electronModule.app.exit).toHaveBeenCalledWith(2));
    expect(fakeDialog.showErrorBox).toHaveBeenCalledWith(
      'Pult',
      expect.stringMatching(/ошибка в настройках\n {2}- timeouts\.idleMs: Неверный ввод: ожидалось число/),
    );
    expect(FakeBrowserWindow.created).toHaveLength(windowsBefore);
    expect(fs.existsSync(path.join(root, 'data', 'pult.sqlite'))).toBe(false);
    vi.unstubAllEnvs();
  });
});
