import { parse as parseCsv } from 'csv-parse/sync';
import { runPult } from '../support/host-process.js';
import { expect, openConsole, postOnly, scoreButton, screens, settled, tapNow, test } from './fixtures.js';

test.describe('applicant flow, default config (CSI → reasons if low → NPS)', () => {
  test('a happy applicant: 5, then 9, then «Спасибо!», then the first screen again', async ({ page, pult }) => {
    await openConsole(page, pult);
    await expect(page.getByText('Окно 5')).toBeVisible();
    await page.getByRole('button', { name: '5 Отлично' }).click();
    await expect(screens.nps(page)).toBeVisible();
    await scoreButton(page, 9).click();
    await expect(screens.thanks(page)).toBeVisible();
    await expect(screens.csi(page)).toBeVisible();

    const rows = pult.rows();
    expect(rows.map((r) => [r.question, r.value, r.source, r.locale, r.flags, r.window_id])).toEqual([
      ['csi', 5, 'touch', 'ru', '[]', 'window-5'],
      ['nps', 9, 'touch', 'ru', '[]', 'window-5'],
    ]);
    expect(rows[0]!.response_id).toBe(rows[1]!.response_id);
  });

  test('a low score asks what went wrong; the chosen reasons are stored', async ({ page, pult }) => {
    await openConsole(page, pult);
    await page.getByRole('button', { name: '2 Плохо' }).click();
    await expect(screens.reasons(page)).toBeVisible();
    const waiting = page.getByRole('button', { name: 'Время ожидания' });
    await waiting.click();
    await expect(waiting).toHaveAttribute('aria-pressed', 'true');
    await page.getByRole('button', { name: 'Информация' }).click();
    await page.getByRole('button', { name: 'Готово' }).click();
    await expect(screens.nps(page)).toBeVisible();
    await scoreButton(page, 3).click();
    await expect(screens.thanks(page)).toBeVisible();

    expect(pult.rows().map((r) => [r.question, r.value, r.reasons])).toEqual([
      ['csi', 2, null],
      ['reasons', null, '["waiting_time","information"]'],
      ['nps', 3, null],
    ]);
  });

  test('what was tapped is what `pult export` writes, while the console keeps running', async ({ page, pult }) => {
    await openConsole(page, pult);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: '3 Fair' }).click();
    await page.getByRole('button', { name: 'Competence' }).click();
    await page.getByRole('button', { name: 'Done' }).click();
    await scoreButton(page, 6).click();
    await expect(screens.thanks(page)).toBeVisible();

    const csv = await runPult(['export', '--data-dir', pult.dataDir, '--format', 'csv']);
    expect(csv.code).toBe(0);
    const rows = parseCsv(csv.stdout, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.question, r.value, r.reasons, r.locale, r.window_id, r.source, r.flags])).toEqual([
      ['csi', '3', '', 'en', 'window-5', 'touch', ''],
      ['reasons', '', 'competence', 'en', 'window-5', 'touch', ''],
      ['nps', '6', '', 'en', 'window-5', 'touch', ''],
    ]);
    expect(new Set(rows.map((r) => r.response_id)).size).toBe(1);
    expect(rows.every((r) => /^\d{4}-\d{2}-\d{2}T/.test(r.created_at!))).toBe(true);
  });

  test('skipping stores nothing for what was skipped', async ({ page, pult }) => {
    await openConsole(page, pult);
    await page.getByRole('button', { name: '1 Очень плохо' }).click();
    await page.getByRole('button', { name: 'Пропустить' }).click();
    await expect(screens.nps(page)).toBeVisible();
    await page.getByRole('button', { name: 'Пропустить' }).click();
    await expect(screens.thanks(page)).toBeVisible();
    expect(pult.rows().map((r) => [r.question, r.value])).toEqual([['csi', 1]]);
  });

  test('keys on a keyboard (USB button boxes) answer the current question', async ({ page, pult }) => {
    await openConsole(page, pult);
    await settled(page);
    await page.keyboard.press('4');
    await expect(screens.nps(page)).toBeVisible();
    await settled(page);
    await page.keyboard.press('0');
    await expect(screens.thanks(page)).toBeVisible();
    expect(pult.rows().map((r) => [r.question, r.value, r.source])).toEqual([
      ['csi', 4, 'keyboard'],
      ['nps', 0, 'keyboard'],
    ]);
  });

  test('English is one tap away, and the next applicant gets Russian again', async ({ page, pult }) => {
    await openConsole(page, pult);
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.getByRole('heading', { name: 'How would you rate our service?' })).toBeVisible();
    await expect(page.getByText('Window 5')).toBeVisible();
    await page.getByRole('button', { name: '4 Good' }).click();
    await scoreButton(page, 10).click();
    await expect(page.getByRole('heading', { name: 'Thank you!' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Как вы оцениваете качество обслуживания?' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
    expect(pult.rows().map((r) => r.locale)).toEqual(['en', 'en']);
  });

  test('the first screen does not wait for the other languages: each is named in its own words, and one chosen before its texts came says «Загрузка…» until they do', async ({
    page,
    pult,
  }) => {
    // English's texts are held back until the test lets them go.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/assets\/en-[\w-]+\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    await openConsole(page, pult);
    for (const name of ['English', 'Oʻzbekcha', 'Тоҷикӣ', 'Кыргызча'])
      await expect(page.getByRole('button', { name, exact: true })).toBeVisible();
    await settled(page);
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.getByText('Загрузка…')).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
    release();
    await expect(page.getByRole('heading', { name: 'How would you rate our service?' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await page.getByRole('button', { name: '4 Good' }).click();
    await expect(screens.nps(page)).toBeVisible();
    expect(pult.rows().map((r) => [r.question, r.value, r.locale])).toEqual([['csi', 4, 'en']]);
  });

  test('when the console cannot store, the screen says so, does not move on, and a second tap is saved', async ({
    page,
    pult,
  }) => {
    await postOnly(page);
    await openConsole(page, pult);
    // The request never reaches the console: what a tap meets when the host process is gone.
    // (Routing, not killing the host, so the page and its connections stay in a known state.)
    await page.route('**/api/press', (route) => route.abort('connectionrefused'));
    await page.getByRole('button', { name: '5 Отлично' }).click();
    // The press is sent again for a while (a restarting console comes back within seconds), then given up.
    await expect(page.getByRole('alert')).toHaveText('Оценка не сохранилась. Пожалуйста, нажмите ещё раз.', { timeout: 12_000 });
    await expect(screens.csi(page)).toBeVisible();
    await expect(screens.nps(page)).toHaveCount(0);
    expect(pult.rows()).toEqual([]);

    await page.unroute('**/api/press');
    await page.getByRole('button', { name: '5 Отлично' }).click();
    await expect(screens.nps(page)).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
    expect(pult.rows().map((r) => [r.question, r.value])).toEqual([['csi', 5]]);
  });
});

test.describe('walking away', () => {
  test.use({ consoleConfig: { timeouts: { idleMs: 5_000, thanksMs: 3_000, guardMs: 2_000 } } });

  test('after the idle timeout the first screen and the default language return; what was tapped stays', async ({
    page,
    pult,
  }) => {
    await openConsole(page, pult);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: '5 Excellent' }).click();
    await expect(page.getByRole('heading', { name: 'Would you recommend us to friends and family?' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Как вы оцениваете качество обслуживания?' })).toBeVisible();
    expect(pult.rows().map((r) => [r.question, r.value])).toEqual([['csi', 5]]);
  });
});

test.describe('guard interval after a completed response', () => {
  // A long guard (and thank-you) makes the test independent of how fast the machine is.
  test.use({ consoleConfig: { flow: [{ type: 'csi' }], timeouts: { idleMs: 20_000, thanksMs: 20_000, guardMs: 20_000 } } });

  test('presses right after «Спасибо!» are kept as misuse and start nothing', async ({ page, pult }) => {
    await openConsole(page, pult);
    await page.getByRole('button', { name: '5 Отлично' }).click();
    await expect(screens.thanks(page)).toBeVisible();
    await page.keyboard.press('5');
    await expect.poll(() => pult.rows().length).toBe(2);
    await page.keyboard.press('1');
    await expect.poll(() => pult.rows().length).toBe(3);
    await expect(screens.thanks(page)).toBeVisible();
    await expect(screens.csi(page)).toHaveCount(0);

    const rows = pult.rows();
    expect(rows.map((r) => [r.value, r.flags])).toEqual([
      [5, '[]'],
      [5, '["misuse"]'],
      [1, '["misuse"]'],
    ]);
    expect(new Set(rows.map((r) => r.response_id)).size).toBe(3);
  });
});

test.describe('a touch never answers a question the applicant has not seen', () => {
  test.use({ hasTouch: true });

  test('a double tap on «4» stores CSI 4 only; the second touch does not answer the NPS under the finger', async ({
    page,
    pult,
  }) => {
    await openConsole(page, pult);
    await settled(page);
    const four = (await page.getByRole('button', { name: '4 Хорошо' }).boundingBox())!;
    const x = four.x + four.width / 2;
    const y = four.y + four.height / 2;
    // Real touch input: the NPS buttons appear under the finger between the two touches.
    await page.touchscreen.tap(x, y);
    await expect(screens.nps(page)).toBeVisible();
    await page.touchscreen.tap(x, y);
    await page.keyboard.press('9');
    const under = await page.evaluate(([px, py]) => document.elementFromPoint(px!, py!)?.closest('.score')?.textContent, [x, y]);
    expect(under, 'an NPS button lies under the finger').toMatch(/^\d+/);
    await expect(screens.nps(page)).toBeVisible();
    expect(pult.rows().map((r) => [r.question, r.value])).toEqual([['csi', 4]]);
    // Once it settled, the same touch is an answer.
    await settled(page);
    await page.touchscreen.tap(x, y);
    await expect(screens.thanks(page)).toBeVisible();
    expect(pult.rows().map((r) => r.question)).toEqual(['csi', 'nps']);
  });
});

test.describe('opened from a LAN address (no secure context)', () => {
  test('taps are stored without secure-context-only APIs', async ({ page, pult }) => {
    // Over plain HTTP from another machine `crypto.randomUUID` does not exist; loopback is always
    // a secure context, so the test takes the API away as such a page would lack it.
    await page.addInitScript(() => {
      delete (Crypto.prototype as { randomUUID?: unknown }).randomUUID;
    });
    await openConsole(page, pult);
    expect(await page.evaluate(() => typeof crypto.randomUUID)).toBe('undefined');
    await page.getByRole('button', { name: '4 Хорошо' }).click();
    await expect(screens.nps(page)).toBeVisible();
    await scoreButton(page, 8).click();
    await expect(screens.thanks(page)).toBeVisible();
    expect(pult.rows().map((r) => [r.question, r.value])).toEqual([
      ['csi', 4],
      ['nps', 8],
    ]);
  });
});

test.describe('a console that stops answering', () => {
  test('a frozen core: «Сохраняем…», then «not saved»; a tap again while frozen and the late press are one answer', async ({
    page,
    pult,
  }) => {
    test.setTimeout(60_000);
    await openConsole(page, pult);
    await settled(page);
    const pid = pult.host.child.pid!;
    process.kill(pid, 'SIGSTOP'); // the core is frozen (a stuck disk, a debugger, a swapped-out process)
    try {
      await page.getByRole('button', { name: '5 Отлично' }).click();
      await expect(page.getByRole('status')).toHaveText('Сохраняем…');
      await expect(page.getByRole('alert')).toHaveText('Оценка не сохранилась. Пожалуйста, нажмите ещё раз.', {
        timeout: 15_000,
      });
      await expect(screens.csi(page)).toBeVisible();
      await page.getByRole('button', { name: '5 Отлично' }).click(); // the applicant taps again, as asked
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    // The first press lands once the core wakes and the screen follows the core; the second was
    // aimed at a screen no longer shown: nothing more is stored.
    await expect(screens.nps(page)).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
    expect(pult.rows().map((r) => [r.question, r.value])).toEqual([['csi', 5]]);
  });
});

test.describe('a save that takes long', () => {
  test('shows «Сохраняем…», then the answer moves the screen on once stored', async ({ page, pult }) => {
    await postOnly(page);
    await openConsole(page, pult);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/press', async (route) => {
      await held;
      await route.continue();
    });
    await page.getByRole('button', { name: '5 Отлично' }).click();
    await expect(page.getByRole('status')).toHaveText('Сохраняем…');
    await expect(screens.csi(page)).toBeVisible();
    release();
    await expect(screens.nps(page)).toBeVisible();
    await expect(page.getByText('Сохраняем…')).toHaveCount(0);
    expect(pult.rows().map((r) => [r.question, r.value])).toEqual([['csi', 5]]);
  });
});

test.describe('one session, however many screens', () => {
  test('a reply lost on the way back: the press is sent again and stored once', async ({ page, pult }) => {
    await postOnly(page);
    await openConsole(page, pult);
    let lost = 0;
    await page.route('**/api/press', async (route) => {
      if (lost++ > 0) return route.continue();
      await route.fetch(); // the core receives and applies the press …
      await route.abort('connectionreset'); // … and its reply never reaches the screen
    });
    await page.getByRole('button', { name: '4 Хорошо' }).click();
    await expect(screens.nps(page)).toBeVisible();
    await expect.poll(() => lost).toBeGreaterThanOrEqual(2); // sent again, with the same press id
    await expect(page.getByText('Сохраняем…')).toHaveCount(0);
    await expect(page.getByRole('alert')).toHaveCount(0);
    expect(pult.rows().map((r) => [r.question, r.value])).toEqual([['csi', 4]]);
  });

  test('over the call socket: a reply lost when the socket drops, the press is sent again and stored once', async ({
    page,
    pult,
  }) => {
    let dropped = false;
    await page.routeWebSocket('**/api/calls', (socket) => {
      const server = socket.connectToServer();
      socket.onMessage((message) => server.send(message));
      server.onMessage((message) => {
        // The core applied the first press; its reply is lost with the connection.
        if (!dropped && String(message).includes('"outcome":"stored"')) {
          dropped = true;
          return socket.close({ code: 1006 });
        }
        socket.send(message);
      });
    });
    await openConsole(page, pult);
    await page.getByRole('button', { name: '4 Хорошо' }).click();
    await expect(screens.nps(page)).toBeVisible();
    await expect.poll(() => dropped).toBe(true);
    await expect(page.getByText('Сохраняем…')).toHaveCount(0);
    await expect(page.getByRole('alert')).toHaveCount(0);
    expect(pult.rows().map((r) => [r.question, r.value])).toEqual([['csi', 4]]);
    // The next tap is stored too (over POST, or the socket once it opened again).
    await page.getByRole('button', { name: /^9/ }).click();
    await expect(screens.thanks(page)).toBeVisible();
    expect(pult.rows().map((r) => [r.question, r.value])).toEqual([
      ['csi', 4],
      ['nps', 9],
    ]);
  });

  test('two screens on one console show the same session; taps on both store one answer', async ({ page, pult }) => {
    const second = await page.context().newPage();
    await openConsole(page, pult);
    await openConsole(second, pult);
    await settled(page);
    await settled(second);
    // Both touches at the same moment (no waiting for the other screen to change first).
    await Promise.all([tapNow(page, 'csi', 5), tapNow(second, 'csi', 4)]);
    await expect(screens.nps(page)).toBeVisible();
    await expect(screens.nps(second)).toBeVisible();
    expect(pult.rows()).toHaveLength(1);
    await second.getByRole('button', { name: 'English' }).click();
    await expect(page.getByRole('heading', { name: 'Would you recommend us to friends and family?' })).toBeVisible();
  });

  test('a screen that reloads picks the session up where it is', async ({ page, pult }) => {
    await openConsole(page, pult);
    await page.getByRole('button', { name: '2 Плохо' }).click();
    await page.getByRole('button', { name: 'Время ожидания' }).click();
    await page.reload();
    await expect(screens.reasons(page)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Время ожидания' })).toHaveAttribute('aria-pressed', 'true');
  });
});

test.describe('stopping the console', () => {
  test('SIGTERM stops it promptly while screens still watch it (event streams, kept-alive sockets)', async ({ page, pult }) => {
    const second = await page.context().newPage();
    await openConsole(page, pult);
    await openConsole(second, pult);
    await page.getByRole('button', { name: '4 Хорошо' }).click();
    await expect(screens.nps(second)).toBeVisible();
    const exited = new Promise<string>((resolve) => pult.host.child.once('exit', () => resolve('exited')));
    pult.host.child.kill('SIGTERM');
    const outcome = await Promise.race([
      exited,
      new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 5_000)),
    ]);
    expect(outcome).toBe('exited');
  });
});
