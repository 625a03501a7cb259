import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { chromium, type Browser, type Page } from '@playwright/test';
import { stopProcess } from './host-process.js';

/**
 * Runs pult-kiosk.service's own command (cage + the package's kiosk-browser) as its user, on a
 * headless wlroots output (no GPU, no seat, no input devices here), the way systemd would start it:
 * its RuntimeDirectory made for it, its Environment, plus what a test-only drop-in would add — a
 * DevTools port on loopback, which the production unit never has.
 *
 * cage's own headless output is always 1280×720 (cage 0.1.4 has no output management, so wlr-randr
 * cannot change it). For another screen size the same command runs on wlroots' Wayland backend
 * inside weston's headless backend at that size (kiosk-shell: one full-screen window) — cage sees
 * an output of that size, as it would see a 1024×600 panel on tty1.
 */
export interface Kiosk {
  child: ChildProcess;
  runtimeDir: string;
  page(): Promise<{ browser: Browser; page: Page }>;
  stop(): Promise<void>;
}

const unitLine = (unit: string, key: string) =>
  fs
    .readFileSync(`/lib/systemd/system/${unit}`, 'utf8')
    .split('\n')
    .find((line) => line.startsWith(`${key}=`))!
    .slice(key.length + 1);

export interface ScreenSize {
  width: number;
  height: number;
}

/** weston, headless, at `size`, as `user`: the output cage is nested in. Resolves with its socket's name. */
async function startScreen(user: string, runtimeDir: string, size: ScreenSize): Promise<string> {
  const socket = 'screen-0';
  const env = { PATH: '/usr/bin:/bin', HOME: runtimeDir, XDG_RUNTIME_DIR: runtimeDir };
  spawn(
    'runuser',
    [
      ...['-u', user, '--', 'env', '-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`)],
      ...['weston', '--backend=headless-backend.so', '--use-pixman', '--shell=kiosk-shell.so', '--idle-time=0'],
      ...[`--width=${size.width}`, `--height=${size.height}`, `--socket=${socket}`],
    ],
    { stdio: 'ignore', detached: true },
  ).unref();
  for (const since = Date.now(); !fs.existsSync(`${runtimeDir}/${socket}`);) {
    if (Date.now() - since > 20_000) throw new Error(`weston did not start a ${size.width}×${size.height} output`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return socket;
}

export async function startKiosk(devtoolsPort: number, size?: ScreenSize): Promise<Kiosk> {
  const user = unitLine('pult-kiosk.service', 'User');
  const runtimeDir = `/run/${unitLine('pult-kiosk.service', 'RuntimeDirectory')}`;
  fs.rmSync(runtimeDir, { recursive: true, force: true });
  fs.mkdirSync(runtimeDir, { mode: 0o700 });
  spawnSync('chown', [`${user}:${user}`, runtimeDir]);
  // At boot systemd-tmpfiles makes /tmp/.X11-unix root's, mode 1777 (and the unit has PrivateTmp):
  // a folder another test user left behind would make Xwayland, hence cage, refuse to start.
  const x11 = '/tmp/.X11-unix';
  if (fs.existsSync(x11) && fs.statSync(x11).uid !== 0) fs.rmSync(x11, { recursive: true, force: true });
  if (!fs.existsSync(x11)) fs.mkdirSync(x11, { mode: 0o1777 });
  fs.chmodSync(x11, 0o1777);
  const [command, ...args] = unitLine('pult-kiosk.service', 'ExecStart').split(' ');
  const backend = size
    ? { WLR_BACKENDS: 'wayland', WAYLAND_DISPLAY: await startScreen(user, runtimeDir, size) }
    : { WLR_BACKENDS: 'headless' };
  const env = {
    PATH: '/usr/bin:/bin',
    HOME: runtimeDir,
    XDG_RUNTIME_DIR: runtimeDir,
    RUNTIME_DIRECTORY: runtimeDir,
    ...Object.fromEntries([unitLine('pult-kiosk.service', 'Environment').split('=', 2) as [string, string]]),
    ...backend,
    WLR_RENDERER: 'pixman',
    WLR_LIBINPUT_NO_DEVICES: '1',
    PULT_KIOSK_EXTRA_FLAGS: `--remote-debugging-port=${devtoolsPort}`,
  };
  const child = spawn(
    'runuser',
    ['-u', user, '--', 'env', '-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), command!, ...args],
    {
      stdio: 'ignore',
      detached: true,
    },
  );
  const endpoint = `http://127.0.0.1:${devtoolsPort}`;
  const started = Date.now();
  // Wait for the state (DevTools answering), bounded; no fixed sleep.
  for (;;) {
    const up = await fetch(`${endpoint}/json/version`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (child.exitCode !== null || Date.now() - started > 60_000) throw new Error('the kiosk did not start (cage + chromium)');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    runtimeDir,
    async page() {
      const browser = await chromium.connectOverCDP(endpoint);
      // DevTools answers before Chromium has opened its first page (sooner than that on a busy
      // machine): wait for the page, bounded, then there must be exactly one.
      const pages = () => browser.contexts().flatMap((context) => context.pages());
      for (const since = Date.now(); pages().length === 0 && Date.now() - since < 30_000;)
        await new Promise((resolve) => setTimeout(resolve, 100));
      const shown = pages();
      if (shown.length !== 1) throw new Error(`the kiosk shows ${shown.length} pages, not one`);
      return { browser, page: shown[0]! };
    },
    async stop() {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      await stopProcess(child).catch(() => undefined);
      spawnSync('pkill', ['-KILL', '-u', user]);
    },
  };
}
