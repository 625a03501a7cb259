import path from 'node:path';
import { parseArgs } from 'node:util';
import { app, dialog, ipcMain, protocol, session } from 'electron';
import { prepareConsole } from '../core/console.js';
import { deferredLog } from '../core/log.js';
import { logsDir, tryLogFiles } from '../core/log-files.js';
import { APP_VERSION } from '../shared/version.js';
import type { CoreLink } from '../core/link.js';
import { adminLanguage, adminText, explainFailure } from '../shared/admin/text.js';
import { APP_ENTRY, APP_ORIGIN, APP_SCHEME_PRIVILEGES, registerAppProtocol } from './app-protocol.js';
import { bindIpc, forwardEvents } from './ipc.main.js';
import { createKioskWindow } from './kiosk-window.js';
import { denyNavigation } from './security/deny-navigation.js';
import { denyNewWindows } from './security/deny-new-windows.js';
import { denyPermissions } from './security/deny-permissions.js';

/**
 * The production kiosk: one full-screen window showing app://pult, the core in this (main)
 * process, and the security rules of electron/security applied before anything loads.
 */

const RENDERER_DIR = path.join(__dirname, '../renderer');
const PRELOAD = path.join(__dirname, 'preload.cjs');

protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

// Every web contents, including any a bug might create, gets the navigation rules.
app.on('web-contents-created', (_event, contents) => {
  denyNavigation(contents, APP_ORIGIN);
  denyNewWindows(contents);
});

/**
 * The core, opened on the data directory. If it cannot start, whoever stands at the screen is told
 * why in their language (chosen before the config is read, so its problems are in it too), and the
 * app exits with the CLI's code.
 */
async function openCore(): Promise<CoreLink | null> {
  const t = adminText(adminLanguage(process.env, app.getLocale()));
  const { values } = parseArgs({
    args: process.argv.slice(app.isPackaged ? 1 : 2),
    options: {
      config: { type: 'string' },
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      trust: { type: 'string', multiple: true },
    },
    strict: false,
  });
  // No journal here (Windows): the core's events go to rotated files in <data-dir>/logs/.
  const log = deferredLog();
  try {
    const prepared = prepareConsole({
      dataDir: typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined,
      configFile: typeof values.config === 'string' ? values.config : undefined,
      env: process.env,
      trust: (values.trust ?? []).filter((file): file is string => typeof file === 'string'),
      // `pult start` builds better-sqlite3 for Electron's ABI and names it here; a packaged app has its own.
      sqlite: { nativeBinding: app.isPackaged ? undefined : process.env.PULT_SQLITE_BINDING },
      log,
    });
    const core = await prepared.open();
    const dir = logsDir(prepared.dataDir);
    const cannotWrite = (error: Error) =>
      void process.stderr.write(`pult: ${t('serve.logsUnwritable', { dir, reason: error.message })}\n`);
    const files = tryLogFiles(dir, { app: 'pult', version: APP_VERSION }, cannotWrite);
    if (files) log.attach(files.logger);
    return core.link;
  } catch (error) {
    const { message, exitCode } = explainFailure(error, t);
    dialog.showErrorBox('Pult', message);
    app.exit(exitCode);
    return null;
  }
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(async () => {
    const core = await openCore();
    if (!core) return;
    denyPermissions(session.defaultSession);
    registerAppProtocol(protocol, RENDERER_DIR);
    bindIpc(ipcMain, core, APP_ORIGIN);
    const window = createKioskWindow(app, PRELOAD);
    forwardEvents(core, (channel, message) => window.webContents.send(channel, message));
    app.on('second-instance', () => window.focus());
    app.on('before-quit', () => void core.close());
    await window.loadURL(APP_ENTRY);
  });
}
