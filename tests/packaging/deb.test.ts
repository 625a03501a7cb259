import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopProcess } from '../support/host-process.js';
import { startKiosk, type Kiosk } from '../support/kiosk.js';
import { httpCall, tapWhenSettled } from '../support/press.js';
import { unitEnvironment } from '../support/unit-file.js';

/**
 * The Debian package, for real: built from this tree (`npm run package:deb`'s script), checked by
 * lintian (no errors, no warnings left without an override), installed on this machine with dpkg,
 * its units verified by systemd-analyze (exit 0 and an empty stderr), the console's unit command
 * run as its user with its environment (no systemd runs as PID 1 here), upgraded to N+1 with the
 * answers intact, removed (answers kept) and purged (kept while undelivered). It installs into the
 * system: it runs only in CI or with PULT_TEST_INSTALL=1, as root, and never over a real install.
 */
const root = path.resolve(__dirname, '../..');
const wanted = process.env.CI === 'true' || process.env.PULT_TEST_INSTALL === '1';
const canInstall = process.getuid?.() === 0 && process.platform === 'linux';
const UNITS = ['pult.service', 'pult-kiosk.service', 'pult-collector.service'];

function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, ...options.env }, input: options.input });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** The unit's own key, as systemd would read it (one line each here). */
const unitValue = (unit: string, key: string): string => {
  const line = fs
    .readFileSync(path.join('/lib/systemd/system', unit), 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${key}=`));
  if (!line) throw new Error(`${unit} has no ${key}=`);
  return line.slice(key.length + 1);
};

/** Runs pult.service's ExecStart as its User with its Environment, then its ExecStartPost (readiness). */
async function startLikeSystemd(): Promise<ChildProcess> {
  const env = unitEnvironment(path.join('/lib/systemd/system', 'pult.service'));
  const [command, ...args] = unitValue('pult.service', 'ExecStart').split(' ');
  const user = unitValue('pult.service', 'User');
  const child = spawn(
    'runuser',
    ['-u', user, '--', 'env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), command!, ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const [postCommand, ...postArgs] = unitValue('pult.service', 'ExecStartPost').split(' ');
  const ready = spawnSync(postCommand!, postArgs, { encoding: 'utf8', timeout: 100_000 });
  if (ready.status !== 0) {
    child.kill('SIGKILL');
    throw new Error(`pult.service did not become healthy (ExecStartPost exited ${ready.status})`);
  }
  return child;
}

const status = () =>
  JSON.parse(run('pult', ['status', '--json']).stdout) as { deviceId: string; answers: number; outboxDepth: number };
const CONSOLE = 'http://127.0.0.1:7300/';
const DEVTOOLS_PORT = 9333;
const SHOTS = path.join(root, 'test-results', 'kiosk');
/** The terminals' panels besides cage's own 1280×720 (issue 15: 1024×600 and 1280×800). */
const SCREENS = [
  [1024, 600],
  [1280, 800],
] as const;

/** What the page says of its window, viewport and screen — and whether the applicant screen scrolls. */
const sizes = (page: Page) =>
  page.evaluate<{ inner: number[]; outer: number[]; screen: number[]; scrolls: boolean }>(`({
    inner: [innerWidth, innerHeight],
    outer: [outerWidth, outerHeight],
    screen: [screen.width, screen.height],
    scrolls: document.documentElement.scrollHeight > innerHeight || document.documentElement.scrollWidth > innerWidth,
  })`);
/** Full screen: no browser UI, no decorations (inner = outer = screen), nothing out of sight. */
const fullScreen = (width: number, height: number) => ({
  inner: [width, height],
  outer: [width, height],
  screen: [width, height],
  scrolls: false,
});

/**
 * grim's picture of cage's own headless output (under pixman Chromium paints only its first raster
 * tile into it). Nested in weston, cage renders only on the parent's frame callbacks, which the
 * headless weston never sends, so grim would wait for ever: there the page's own picture (DevTools)
 * is kept instead. Bounded either way.
 */
async function shoot(kiosk: Kiosk, page: Page, name: string, nested: boolean): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  if (nested) return void (await page.screenshot({ path: path.join(SHOTS, name), timeout: 20_000 }));
  spawnSync('grim', [path.join(SHOTS, name)], {
    env: { ...process.env, XDG_RUNTIME_DIR: kiosk.runtimeDir, WAYLAND_DISPLAY: 'wayland-0' },
    timeout: 20_000,
  });
}

describe.skipIf(!wanted)('the Debian package on this machine', () => {
  const built = fs.mkdtempSync(path.join(os.tmpdir(), 'pult-deb-'));
  const deb = (version: string) => path.join(built, `pult_${version}_amd64.deb`);

  beforeAll(() => {
    if (!canInstall) throw new Error('the package test installs into the system: run it as root (CI does)');
    if (fs.existsSync('/var/lib/pult') || fs.existsSync('/usr/lib/pult'))
      throw new Error('Pult is installed on this machine already: the package test will not touch a real install');
    for (const version of ['0.1.0', '0.1.1'])
      run('bash', [path.join(root, 'packaging/deb/build.sh')], { env: { PULT_DEB_VERSION: version, PULT_DEB_OUT: built } });
  }, 400_000);

  afterAll(() => {
    spawnSync('dpkg', ['--purge', 'pult']);
    for (const dir of ['/var/lib/pult', '/etc/pult']) fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(built, { recursive: true, force: true });
  });

  it('lintian finds no error and no warning without an override', () => {
    const result = spawnSync('lintian', ['--tag-display-limit', '0', deb('0.1.0')], { encoding: 'utf8' });
    const findings = `${result.stdout}${result.stderr}`.split('\n').filter((line) => /^[EW]: /.test(line));
    expect(findings).toEqual([]);
    expect(result.status).toBe(0);
  }, 200_000);

  it('installs, runs as pult from /etc/pult and /var/lib/pult, upgrades with every answer, removes and purges safely', async () => {
    run('dpkg', ['-i', deb('0.1.0')]);
    // Users, the data directory, the device id from installation.
    expect(run('id', ['-nG', 'pult']).stdout.split(/\s+/)).toContain('dialout');
    const data = fs.statSync('/var/lib/pult');
    expect(data.mode & 0o777).toBe(0o750);
    expect(run('stat', ['-c', '%U:%G', '/var/lib/pult']).stdout.trim()).toBe('pult:pult');
    const { deviceId } = status();
    const acknowledgedIds: string[] = [];
    expect(deviceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(run('pult', ['--version']).stdout).toBe('pult 0.1.0\n');

    // IT's public key goes in /etc/pult/keys (the package made it); a bundle provisioned with sudo
    // is a file the console's own user reads.
    expect(run('stat', ['-c', '%U:%G %a', '/etc/pult/keys']).stdout.trim()).toBe('root:root 755');
    const keys = fs.mkdtempSync(path.join(os.tmpdir(), 'pult-keys-'));
    run('pult', ['keys', 'generate', '--out', keys, '--name', 'region']);
    fs.copyFileSync(path.join(keys, 'region.pub'), '/etc/pult/keys/region.pub');
    const bundle = path.join(keys, 'label.json');
    const expires = new Date(Date.now() + 86_400_000).toISOString();
    fs.writeFileSync(
      bundle,
      JSON.stringify({ format: 'pult-config/1', version: 1, expires, targets: {}, config: { window: { label: '7' } } }),
    );
    run('pult', ['sign', bundle, '--key', path.join(keys, 'region.key')]);
    run('pult', ['provision', bundle]);
    expect(run('stat', ['-c', '%U:%G', '/var/lib/pult/provisioned.json']).stdout.trim()).toBe('pult:pult');
    expect(JSON.parse(run('runuser', ['-u', 'pult', '--', 'pult', 'status', '--json']).stdout)).toMatchObject({
      configVersion: 1,
    });
    fs.rmSync('/etc/pult/keys/region.pub');
    fs.rmSync(keys, { recursive: true, force: true });

    // Every unit verifies with nothing on stderr (systemd-analyze exits 0 even on a misspelt key).
    for (const unit of UNITS) {
      const verified = spawnSync('systemd-analyze', ['verify', path.join('/lib/systemd/system', unit)], { encoding: 'utf8' });
      expect({ unit, status: verified.status, stderr: verified.stderr }).toEqual({ unit, status: 0, stderr: '' });
    }

    // The kiosk as its unit runs it (cage + Chromium, headless output), before the console is up:
    // «Пульт запускается…», not a browser error page.
    let kiosk = await startKiosk(DEVTOOLS_PORT);
    let console: ChildProcess | null = null;
    try {
      let { browser, page } = await kiosk.page();
      await page.getByRole('heading', { name: 'Пульт запускается…' }).waitFor();

      // The console as its unit runs it: healthy, a tap stored in /var/lib/pult.
      console = await startLikeSystemd();
      const acknowledged = (await tapWhenSettled(httpCall(CONSOLE), 5)).answer!.id;
      acknowledgedIds.push(acknowledged);

      // Then the kiosk shows the console: full screen, no browser UI, a tap in the page stored;
      // killed, it comes back on the applicant screen.
      await page.getByRole('button', { name: '5 Отлично' }).waitFor();
      // cage's own headless output is 1280×720.
      expect(await sizes(page)).toEqual(fullScreen(1280, 720));
      await shoot(kiosk, page, 'kiosk-1280x720.png', false);
      await page.getByRole('button', { name: '4 Хорошо' }).click();
      await expect.poll(() => status().answers, { timeout: 10_000 }).toBe(2);
      await browser.close();

      // Chromium killed (-9): cage ends with it and systemd starts the unit again; here we do.
      spawnSync('pkill', ['-KILL', '-u', 'pult-kiosk', 'chromium']);
      await new Promise((resolve) => kiosk.child.once('exit', resolve));
      kiosk = await startKiosk(DEVTOOLS_PORT);
      ({ browser, page } = await kiosk.page());
      await page.getByRole('button', { name: '5 Отлично' }).waitFor();
      // A fresh profile: the one page is the console's, no «restore pages» bubble or tab.
      expect(page.url()).toBe(CONSOLE);
      await browser.close();

      // The terminals' panels: the same command on an output of their size fills it, and the
      // applicant screen fits without scrolling.
      for (const [width, height] of SCREENS) {
        await kiosk.stop();
        kiosk = await startKiosk(DEVTOOLS_PORT, { width, height });
        ({ browser, page } = await kiosk.page());
        await page.getByRole('button', { name: '5 Отлично' }).waitFor();
        expect(await sizes(page)).toEqual(fullScreen(width, height));
        await shoot(kiosk, page, `kiosk-${width}x${height}.png`, true);
        await browser.close();
      }
    } finally {
      await kiosk.stop();
      if (console) await stopProcess(console);
    }
    expect(status()).toMatchObject({ deviceId, answers: 2, outboxDepth: 2 });
    const [acknowledged] = acknowledgedIds;

    // N+1 from the same tree: the same device, the answer intact, the console starts on it.
    run('dpkg', ['-i', deb('0.1.1')]);
    // (The app's own version is package.json's; the package's is what dpkg upgraded.)
    expect(run('dpkg-query', ['-W', '-f', '${Version}', 'pult']).stdout).toBe('0.1.1');
    expect(status()).toMatchObject({ deviceId, answers: 2 });
    await stopProcess(await startLikeSystemd());
    const exported = run('pult', ['export', '--format', 'jsonl']).stdout;
    expect(exported).toContain(acknowledged);

    // remove keeps the answers and the config; purge keeps them while one is undelivered, and says so.
    run('dpkg', ['--remove', 'pult']);
    expect(fs.existsSync('/usr/lib/pult')).toBe(false);
    expect(fs.existsSync('/var/lib/pult/pult.sqlite')).toBe(true);
    expect(fs.existsSync('/etc/pult/pult.config.json')).toBe(true);
    const purged = run('dpkg', ['--purge', 'pult']);
    expect(purged.stderr).toMatch(/\/var\/lib\/pult is kept: it holds answers not yet delivered/);
    expect(fs.existsSync('/var/lib/pult/pult.sqlite')).toBe(true);

    // A console whose every answer was delivered (here: none stored) is purged whole.
    fs.rmSync('/var/lib/pult', { recursive: true, force: true });
    run('dpkg', ['-i', deb('0.1.1')]);
    run('dpkg', ['--purge', 'pult']);
    expect(fs.existsSync('/var/lib/pult')).toBe(false);
    expect(fs.existsSync('/etc/pult')).toBe(false);
  }, 300_000);

  it('systemd-analyze verify does complain on stderr about a misspelt key (so the check above can fail)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pult-unit-'));
    try {
      const unit = path.join(dir, 'pult.service');
      fs.writeFileSync(
        unit,
        fs
          .readFileSync(path.join(root, 'packaging/systemd/pult.service'), 'utf8')
          .replace('Restart=', 'Restartt=')
          .replace(/^Exec.*$/gm, 'ExecStart=/bin/true'),
      );
      const verified = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
      expect(verified.stderr).toMatch(/Restartt/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
