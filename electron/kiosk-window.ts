import type { App } from 'electron';
import { BrowserWindow } from 'electron';
import { recoverFromCrashes } from './security/crash-recovery.js';
import { forbidDevtools } from './security/devtools.js';
import { swallowEscapeShortcuts } from './security/kiosk-shortcuts.js';

/**
 * The one kiosk window. The web preferences are written out literally here (not built by a
 * helper) so that electronegativity's static checks can see every one of them.
 */
export function createKioskWindow(app: Pick<App, 'isPackaged' | 'relaunch' | 'exit'>, preload: string): BrowserWindow {
  const window = new BrowserWindow({
    kiosk: app.isPackaged,
    fullscreen: app.isPackaged,
    autoHideMenuBar: true,
    backgroundColor: '#f6f7f9',
    show: false,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Middle-click would otherwise open links in new windows.
      disableBlinkFeatures: 'Auxclick',
      devTools: !app.isPackaged,
    },
  });
  window.removeMenu();
  swallowEscapeShortcuts(window.webContents);
  recoverFromCrashes(window.webContents, app);
  forbidDevtools(window.webContents, app.isPackaged);
  window.once('ready-to-show', () => window.show());
  return window;
}
