import { describe, expect, it, vi } from 'vitest';
import { FakeWebContents } from '../../tests/support/fake-electron.js';
import { recoverFromCrashes } from './crash-recovery.js';
import { denyNavigation } from './deny-navigation.js';
import { denyNewWindows } from './deny-new-windows.js';
import { denyPermissions } from './deny-permissions.js';
import { forbidDevtools } from './devtools.js';
import { isEscapeShortcut, swallowEscapeShortcuts } from './kiosk-shortcuts.js';
import type { WebContents } from 'electron';

const asContents = (fake: FakeWebContents) => fake as unknown as WebContents;
const event = () => ({ preventDefault: vi.fn() });

describe('Electron security rules', () => {
  it('navigation away from app://pult is cancelled; within it is allowed', () => {
    const contents = new FakeWebContents();
    denyNavigation(asContents(contents), 'app://pult');
    const away = event();
    contents.emit('will-navigate', away, 'https://example.org/');
    const redirect = event();
    contents.emit('will-redirect', redirect, 'file:///etc/passwd');
    const home = event();
    contents.emit('will-navigate', home, 'app://pult/index.html');
    const webview = event();
    contents.emit('will-attach-webview', webview);
    expect([away, redirect, webview].map((e) => e.preventDefault.mock.calls.length)).toEqual([1, 1, 1]);
    expect(home.preventDefault).not.toHaveBeenCalled();
  });

  it('new windows are denied', () => {
    const contents = new FakeWebContents();
    denyNewWindows(asContents(contents));
    expect(contents.windowOpenHandler?.({ url: 'https://example.org' })).toEqual({ action: 'deny' });
  });

  it('every permission request and check is denied', () => {
    const session = {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      setDevicePermissionHandler: vi.fn(),
    };
    denyPermissions(session);
    const callback = vi.fn();
    session.setPermissionRequestHandler.mock.calls[0]![0]({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(session.setPermissionCheckHandler.mock.calls[0]![0]()).toBe(false);
    expect(session.setDevicePermissionHandler.mock.calls[0]![0]()).toBe(false);
  });

  const key = (k: string, mods: Partial<{ control: boolean; alt: boolean; meta: boolean; shift: boolean }> = {}) => ({
    key: k,
    control: false,
    alt: false,
    meta: false,
    shift: false,
    ...mods,
  });

  it.each([
    ['Alt+F4', key('F4', { alt: true })],
    ['Ctrl+R', key('r', { control: true })],
    ['F5', key('F5')],
    ['F11', key('F11')],
    ['F12', key('F12')],
    ['Ctrl+Shift+I', key('I', { control: true, shift: true })],
    ['Ctrl+W', key('w', { control: true })],
    ['Ctrl+P', key('p', { control: true })],
    ['Ctrl+=', key('=', { control: true })],
    ['Alt+Left', key('ArrowLeft', { alt: true })],
    ['Cmd+Q', key('q', { meta: true })],
  ])('%s is swallowed', (_name, input) => {
    expect(isEscapeShortcut(input)).toBe(true);
    const contents = new FakeWebContents();
    swallowEscapeShortcuts(asContents(contents));
    const e = event();
    contents.emit('before-input-event', e, input);
    expect(e.preventDefault).toHaveBeenCalled();
  });

  it.each([
    ['5', key('5')],
    ['0', key('0')],
    ['Enter', key('Enter')],
    ['Tab', key('Tab')],
  ])('%s reaches the console', (_name, input) => {
    expect(isEscapeShortcut(input)).toBe(false);
  });

  it('a crashed renderer reloads; the fourth crash in a minute relaunches the app', () => {
    const contents = new FakeWebContents();
    const app = { relaunch: vi.fn(), exit: vi.fn() };
    let now = 0;
    recoverFromCrashes(asContents(contents), app, () => now);
    const crash = (at: number, reason = 'crashed') => {
      now = at;
      contents.emit('render-process-gone', {}, { reason, exitCode: 1 });
    };
    crash(0);
    crash(10_000);
    crash(20_000, 'clean-exit');
    expect(contents.reload).toHaveBeenCalledTimes(2);
    now = 25_000;
    contents.emit('unresponsive');
    expect(contents.reload).toHaveBeenCalledTimes(3);
    crash(50_000);
    expect(app.relaunch).toHaveBeenCalledTimes(1);
    expect(app.exit).toHaveBeenCalledWith(0);
  });

  it('crashes spread over more than a minute only reload', () => {
    const contents = new FakeWebContents();
    const app = { relaunch: vi.fn(), exit: vi.fn() };
    let now = 0;
    recoverFromCrashes(asContents(contents), app, () => now);
    for (let i = 0; i < 6; i++) {
      now = i * 31_000;
      contents.emit('render-process-gone', {}, { reason: 'oom', exitCode: 1 });
    }
    expect(contents.reload).toHaveBeenCalledTimes(6);
    expect(app.relaunch).not.toHaveBeenCalled();
  });

  it('devtools opened in production close at once', () => {
    const contents = new FakeWebContents();
    forbidDevtools(asContents(contents), true);
    contents.emit('devtools-opened');
    expect(contents.closeDevTools).toHaveBeenCalled();
  });
});
