import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { addAdmin } from '../../collector/tokens.js';
import { startCollectorProcess } from '../support/collector-process.js';
import { stopProcess, type RunningHost } from '../support/host-process.js';
import { registeredConsole } from '../support/registered-console.js';

/**
 * IT staff watch the fleet in a browser: two real consoles beating every second to a real
 * collector (late after 3 s, offline after 6 s); one is killed (SIGKILL) and started again. The
 * page is only ever reloaded by itself.
 */
const ALWAYS_OPEN = { openingHours: { days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '23:59' } };

test('the fleet page: sign in with the admin token, watch a killed console go late, offline and come back', async ({ page }) => {
  test.setTimeout(90_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pult-fleet-'));
  const tokens = path.join(dir, 'tokens.json');
  const admin = addAdmin(tokens);
  const collector = await startCollectorProcess([
    '--db',
    path.join(dir, 'c.db'),
    '--tokens',
    tokens,
    '--late-after',
    '3s',
    '--offline-after',
    '6s',
  ]);
  const hosts: RunningHost[] = [];
  try {
    const consoles = await Promise.all(
      ['w-1', 'w-2'].map((window, i) =>
        registeredConsole({
          dir: fs.mkdtempSync(path.join(dir, `c${i}-`)),
          dataDir: path.join(dir, `data-${i}`),
          tokens,
          endpoint: collector.url,
          sync: { heartbeatMs: 1_000 },
          config: { ...ALWAYS_OPEN, window: { id: window, label: String(i + 1) } },
        }),
      ),
    );
    hosts.push(...(await Promise.all(consoles.map((c) => c.start()))));
    const row = (i: number) => page.locator(`tr[data-device="${consoles[i]!.deviceId}"]`);
    const [first, second] = [row(0), row(1)];

    // Not signed in: the login form, and a wrong token is refused by name.
    await page.goto(new URL('fleet', collector.url).href);
    await page.getByLabel('Токен администратора').fill('not-a-token');
    await page.getByRole('button', { name: 'Войти' }).click();
    await expect(page.getByRole('alert')).toHaveText('Это не токен администратора этого сборщика.');
    await page.getByLabel('Токен администратора').fill(admin);
    await page.getByRole('button', { name: 'Войти' }).click();
    // The token travelled in the form, never in the address; the session is a cookie scripts cannot read.
    expect(page.url()).not.toContain(admin);
    const [cookie] = await page.context().cookies();
    expect(cookie).toMatchObject({ name: 'pult_fleet', httpOnly: true, sameSite: 'Strict' });
    expect(await page.evaluate(() => document.cookie)).toBe('');

    await expect(first).toHaveAttribute('data-state', 'online');
    await expect(second).toHaveAttribute('data-state', 'online');
    await expect(first).toContainText('w-1');

    // The first console dies: late, then offline, with its alert; the other stays online.
    const started = Date.now();
    await stopProcess(hosts[0]!.child, 'SIGKILL');
    await expect(first).toHaveAttribute('data-state', 'late', { timeout: 15_000 });
    await expect(first).toHaveAttribute('data-state', 'offline', { timeout: 15_000 });
    // Within the thresholds and the page's own refresh (5 s) and the alert check.
    expect(Date.now() - started).toBeLessThan(6_000 + 5_000 + 3_000);
    await expect(second).toHaveAttribute('data-state', 'online');
    await expect(page.locator(`li[data-alert="offline"][data-device="${consoles[0]!.deviceId}"]`)).toBeVisible({
      timeout: 15_000,
    });

    // Filters: only the offline ones.
    await page.getByLabel('Состояние').selectOption('offline');
    await page.getByRole('button', { name: 'Применить' }).click();
    await expect(first).toBeVisible();
    await expect(second).toHaveCount(0);

    // It comes back: online again, and its alert cleared by itself.
    hosts[0] = await consoles[0]!.start();
    await page.getByLabel('Состояние').selectOption('');
    await page.getByRole('button', { name: 'Применить' }).click();
    await expect(first).toHaveAttribute('data-state', 'online', { timeout: 15_000 });
    await expect(page.locator('li[data-alert="offline"]')).toHaveCount(0, { timeout: 15_000 });

    // Signed out: the page asks for the token again.
    await page.getByRole('button', { name: 'Выйти' }).click();
    await expect(page.getByLabel('Токен администратора')).toBeVisible();
  } finally {
    for (const host of hosts) await host.stop();
    await collector.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
