import path from 'node:path';
import { parseArgs } from 'node:util';
import { app, dialog, ipcMain, protocol, session } from 'electron';
import { resolveConfig } from '../core/config.node.js';
import { defaultDataDir } from '../core/data-dir.js';
import { explainFailure, operatorLanguage, operatorText } from '../core/operator-text.js';
import { PultService } from '../core/service.js';
import { useSqliteNativeBinding } from '../core/storage/sqlite.js';
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
// `pult start` builds better-sqlite3 for Electron's ABI and names it here; a packaged app has its own.
if (!app.isPackaged) useSqliteNativeBinding(process.env.PULT_SQLITE_BINDING);

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
function openService(): PultService | null {
  const t = operatorText(operatorLanguage(process.env, app.getLocale()));
  const { values } = parseArgs({
    args: process.argv.slice(app.isPackaged ? 1 : 2),
    options: { config: { type: 'string' }, 'data-dir': { type: 'string' }, port: { type: 'string' } },
    strict: false,
  });
  const dataDir = path.resolve(typeof values['data-dir'] === 'string' ? values['data-dir'] : defaultDataDir());
  try {
    const { config } = resolveConfig(typeof values.config === 'string' ? values.config : undefined, dataDir);
    return PultService.open({ dataDir, config });
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
    const service = openService();
    if (!service) return;
    denyPermissions(session.defaultSession);
    registerAppProtocol(protocol, RENDERER_DIR);
    bindIpc(ipcMain, service, APP_ORIGIN);
    const window = createKioskWindow(app, PRELOAD);
    forwardEvents(service, (channel, message) => window.webContents.send(channel, message));
    app.on('second-instance', () => window.focus());
    app.on('before-quit', () => service.close());
    await window.loadURL(APP_ENTRY);
  });
}
