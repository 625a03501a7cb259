import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';
import { AnswerInputSchema, type AnswerInput } from '../../shared/answer.js';
import { DEMO_CONFIG, PultConfigSchema, type PultConfigInput } from '../../shared/config.js';
import { systemClock } from '../../core/clock.js';
import { PultService } from '../../core/service.js';
import { setPin } from '../../core/supervisor/pin.js';
import { startHost, type RunningHost } from '../support/host-process.js';
import { pinTitle, screens, typePin } from './fixtures.js';

/**
 * The supervisor screen in Chromium against a console whose database was seeded with known
 * answers: the figures on screen are checked against a count made here from the seed itself.
 */

/** The README's pictures of the supervisor screen are refreshed by the axe test on every run. */
const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const PIN = '8642';
const ZONE = 'Europe/Moscow';
const WINDOW = 'window-5';

interface Seed {
  daysAgo: number;
  window: string;
  answer: AnswerInput;
}
const answer = (question: 'csi' | 'nps', value: number, extra: Partial<AnswerInput> = {}) =>
  ({ question, value, responseId: crypto.randomUUID(), locale: 'ru', source: 'touch', ...extra }) as AnswerInput;
const reasons = (chosen: string[]) =>
  ({ question: 'reasons', reasons: chosen, responseId: crypto.randomUUID(), locale: 'ru', source: 'touch' }) as AnswerInput;
const times = <T>(n: number, make: () => T): T[] => Array.from({ length: n }, make);

/** Today: 40 CSI (21×5, 9×4, 4×3, 3×2, 3×1), 12 NPS, 3 misuse; 3 days ago: 10×5; another window today: 8 answers. */
const SEEDS: Seed[] = [
  ...[
    ...times(21, () => answer('csi', 5)),
    ...times(9, () => answer('csi', 4)),
    ...times(4, () => answer('csi', 3)),
    ...times(3, () => answer('csi', 2)),
    ...times(3, () => answer('csi', 1)),
    ...times(6, () => answer('nps', 10)),
    ...times(3, () => answer('nps', 8)),
    ...times(3, () => answer('nps', 3)),
    ...times(2, () => reasons(['waiting_time'])),
    reasons(['waiting_time', 'politeness']),
    ...times(3, () => answer('csi', 5, { flags: ['misuse'] })),
  ].map((a) => ({ daysAgo: 0, window: WINDOW, answer: a })),
  ...times(10, () => ({ daysAgo: 3, window: WINDOW, answer: answer('csi', 5) })),
  ...times(8, () => ({ daysAgo: 0, window: 'window-9', answer: answer('csi', 2) })),
];

/** Noon (office time) `daysAgo` office days ago: inside that day whatever the hour the test runs. */
function noonOfficeDaysAgo(daysAgo: number): number {
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: ZONE });
  const day = new Date(Date.parse(`${today}T12:00:00Z`) - daysAgo * 86_400_000);
  const offset = Date.parse(new Date(day).toLocaleString('sv-SE', { timeZone: ZONE }).replace(' ', 'T') + 'Z') - day.getTime();
  return day.getTime() - offset;
}

async function seed(dataDir: string): Promise<void> {
  for (const window of [...new Set(SEEDS.map((s) => s.window))]) {
    let now = 0;
    const config = PultConfigSchema.parse({ ...DEMO_CONFIG, window: { id: window, label: window } });
    const service = await PultService.open({ dataDir, config, clock: { ...systemClock, wallMs: () => now } });
    for (const s of SEEDS.filter((x) => x.window === window)) {
      now = noonOfficeDaysAgo(s.daysAgo);
      await service.storeAnswer(AnswerInputSchema.parse(s.answer), crypto.randomUUID());
    }
    await service.close();
  }
}

/** The figures the screen must show, counted from the seed (not from the code under test). */
function expected(daysBack: number, window: string) {
  const counted = SEEDS.filter((s) => s.daysAgo < daysBack && s.window === window && !s.answer.flags?.includes('misuse'));
  const csi = counted.flatMap((s) => (s.answer.question === 'csi' ? [s.answer.value] : []));
  const satisfied = csi.filter((v) => v >= 4).length;
  const percent = (share: number) =>
    new Intl.NumberFormat('ru', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(share);
  return {
    responses: csi.length,
    satisfied,
    share: percent(satisfied / csi.length),
    mean: new Intl.NumberFormat('ru', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(
      csi.reduce((a, b) => a + b, 0) / csi.length,
    ),
  };
}

interface Seeded {
  host: RunningHost;
  dataDir: string;
  configFile: string;
  exportDir: string;
  restart(): Promise<RunningHost>;
}

const test = base.extend<{ consoleConfig: Partial<PultConfigInput>; seeded: Seeded }>({
  consoleConfig: [{}, { option: true }],
  seeded: async ({ consoleConfig, context }, use) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pult-e2e-supervisor-'));
    const dataDir = path.join(dir, 'data');
    const exportDir = path.join(dir, 'usb-stick');
    fs.mkdirSync(exportDir);
    await seed(dataDir);
    await setPin(dataDir, PIN);
    const configFile = path.join(dir, 'console.json');
    fs.writeFileSync(
      configFile,
      JSON.stringify({
        ...DEMO_CONFIG,
        window: { id: WINDOW, label: '5' },
        supervisor: { exportFolders: [exportDir] },
        ...consoleConfig,
      }),
    );
    const args = ['--config', configFile, '--data-dir', dataDir];
    const running = { host: await startHost(args) };
    await use({
      get host() {
        return running.host;
      },
      dataDir,
      configFile,
      exportDir,
      restart: async () => {
        await running.host.stop();
        running.host = await startHost(args);
        return running.host;
      },
    });
    await Promise.all(context.pages().map((page) => page.close()));
    await running.host.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  },
});

/** The staff gesture: a press held on the top-left corner until the PIN pad shows (3 s). */
async function holdCorner(page: Page): Promise<void> {
  const corner = (await page.getByTestId('corner-hold').boundingBox())!;
  await page.mouse.move(corner.x + 10, corner.y + 10);
  await page.mouse.down();
  await expect(pinTitle(page)).toBeVisible({ timeout: 6_000 });
  await page.mouse.up();
}

const dashboard = (page: Page) => page.getByRole('heading', { name: /^Руководитель — окно 5$/ });

/** One part of the dashboard (a tab): what it shows, once it shows. */
async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name, exact: true }).click();
  await expect(page.getByRole('tab', { name, exact: true })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel')).toBeVisible();
}

async function openSupervisor(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(screens.csi(page)).toBeVisible();
  await holdCorner(page);
  await typePin(page, PIN);
  await expect(dashboard(page)).toBeVisible();
}

test.describe('supervisor screen', () => {
  test('a short press on the corner does nothing; a 3-second hold opens the PIN pad; figures equal a count of the seed', async ({
    page,
    seeded,
  }) => {
    const problems: string[] = [];
    page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
    page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
    page.on('response', (response) => response.status() >= 400 && problems.push(`${response.status()} ${response.url()}`));
    await page.goto(seeded.host.url);
    await expect(screens.csi(page)).toBeVisible();
    await page.getByTestId('corner-hold').click();
    await expect(screens.csi(page)).toBeVisible();
    await expect(pinTitle(page)).toHaveCount(0);

    await holdCorner(page);
    await typePin(page, '1111');
    await expect(page.getByRole('alert')).toHaveText('Неверный PIN. Осталось 4 попытки.');
    await typePin(page, PIN);
    await expect(dashboard(page)).toBeVisible();

    const today = expected(1, WINDOW);
    await expect(page.getByTestId('figure-responses').locator('.figure__value')).toHaveText(String(today.responses));
    await expect(page.getByTestId('figure-satisfied').locator('.figure__value')).toHaveText(today.share);
    await expect(page.getByTestId('satisfied-count')).toHaveText(`${today.satisfied} из ${today.responses}`);
    await expect(page.getByTestId('figure-mean').locator('.figure__value')).toHaveText(today.mean);
    // 12 NPS answers: fewer than 30, greyed «мало данных» instead of a bold figure.
    await expect(page.getByTestId('figure-nps')).toContainText('мало данных');
    await expect(page.getByTestId('figure-nps')).toContainText('Сторонники 6 · нейтральные 3 · критики 3');
    await expect(page.getByTestId('figure-misuse').locator('.figure__value')).toHaveText('3');
    await expect(page.getByTestId('reasons').locator('tbody tr').first()).toHaveText(/Время ожидания\s*3/);
    await expect(page.getByTestId('windows')).toContainText('window-9');
    // window-9's low scores (stored last, in the same database) are not this window's negative streak.
    await expect(page.locator('[data-alert="negative_streak"]')).toHaveCount(0);
    await expect(page.getByTestId('by-hour').getByTestId('chart').locator('canvas')).toHaveCount(1);
    // Every opening hour (08:00–20:00 by default) is listed, the quiet ones too; the seed is at noon.
    const hourRows = page.getByTestId('by-hour').locator('.staff__table tbody tr');
    await expect(hourRows).toHaveCount(12);
    await expect(hourRows.filter({ hasText: '12:00' })).toHaveText(new RegExp(`^12:00\\s*${today.responses}\\s*${today.share}`));
    await expect(hourRows.filter({ hasText: '08:00' })).toHaveText(/^08:00\s*0\s*—$/);
    await expect(page.getByTestId('trend')).toHaveCount(0); // one day: no trend to draw
    await openTab(page, 'Состояние');
    await expect(page.getByTestId('health-stored')).toHaveText(String(SEEDS.length));
    await openTab(page, 'Окно');

    await page.getByRole('button', { name: '7 дней' }).click();
    const week = expected(7, WINDOW);
    await expect(page.getByTestId('figure-responses').locator('.figure__value')).toHaveText(String(week.responses));
    await expect(page.getByTestId('figure-satisfied').locator('.figure__value')).toHaveText(week.share);
    await expect(page.getByTestId('trend').locator('.staff__table tbody tr')).toHaveCount(7);

    // A custom range: the day 3 days ago holds 10 answers of 5; a range that ends before it starts is named.
    const day = (daysAgo: number) => new Date(noonOfficeDaysAgo(daysAgo)).toLocaleDateString('sv-SE', { timeZone: ZONE });
    await page.getByRole('button', { name: 'Свой период' }).click();
    await page.getByLabel('С', { exact: true }).fill(day(2));
    await page.getByLabel('По', { exact: true }).fill(day(3));
    await expect(page.getByRole('alert')).toHaveText('Начало периода позже его конца: выберите даты снова.');
    await expect(page.getByRole('button', { name: 'Показать' })).toBeDisabled();
    await page.getByLabel('С', { exact: true }).fill(day(3));
    await page.getByRole('button', { name: 'Показать' }).click();
    await expect(page.getByRole('heading', { name: `Итоги периода ${day(3)} — ${day(3)}` })).toBeVisible();
    await expect(page.getByTestId('figure-responses').locator('.figure__value')).toHaveText('10');
    await expect(page.getByTestId('satisfied-count')).toHaveText('10 из 10');
    // The charts and the lazily loaded code run under the same CSP: no violation, no error, no failed request.
    expect(problems).toEqual([]);
  });

  test.describe('on a touch screen', () => {
    test.use({ hasTouch: true });
    test('a finger held on the corner opens the PIN pad; a tap there does not', async ({ page, seeded }) => {
      await page.goto(seeded.host.url);
      await expect(screens.csi(page)).toBeVisible();
      const corner = (await page.getByTestId('corner-hold').boundingBox())!;
      const point = { x: corner.x + 20, y: corner.y + 20 };
      await page.touchscreen.tap(point.x, point.y);
      await expect(pinTitle(page)).toHaveCount(0);
      // Real touch input (CDP): the finger goes down and stays until the PIN pad shows.
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point] });
      await expect(pinTitle(page)).toBeVisible({ timeout: 6_000 });
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      await page.getByRole('button', { name: 'Назад' }).click();
      await expect(screens.csi(page)).toBeVisible();
    });
  });

  test('while open the console takes no ratings and another screen says so; closing brings the applicant back', async ({
    page,
    context,
    seeded,
  }) => {
    await openSupervisor(page, seeded.host.url);
    await expect(page.getByText('Пока открыт этот экран, пульт не принимает оценки.')).toBeVisible();
    const other = await context.newPage();
    await other.goto(seeded.host.url);
    await expect(other.getByRole('status')).toHaveText(/не принимает оценки/);
    await page.getByRole('button', { name: 'Закрыть' }).click();
    await expect(screens.csi(page)).toBeVisible();
    await expect(screens.csi(other)).toBeVisible();
  });

  test('five wrong PINs lock the pad, and the lockout survives a restart of the console', async ({ page, seeded }) => {
    await page.goto(seeded.host.url);
    await expect(screens.csi(page)).toBeVisible();
    await holdCorner(page);
    for (let i = 0; i < 5; i++) {
      await typePin(page, '0000');
      await expect(page.locator('.pin__message')).toHaveAttribute('data-refusal', i < 4 ? 'wrong' : 'locked');
    }
    await expect(page.locator('.pin__message')).toContainText('Ввод заблокирован до');
    const host = await seeded.restart();
    await page.goto(host.url);
    await expect(screens.csi(page)).toBeVisible();
    await holdCorner(page);
    await typePin(page, PIN);
    await expect(page.locator('.pin__message')).toHaveAttribute('data-refusal', 'locked');
  });

  test.describe('with a short idle time', () => {
    test.use({ consoleConfig: { supervisor: { idleMs: 5_000 } } });
    test('without a touch the screen returns to the applicant and the console takes ratings again', async ({ page, seeded }) => {
      await openSupervisor(page, seeded.host.url);
      await expect(screens.csi(page)).toBeVisible({ timeout: 10_000 });
      await page.getByRole('button', { name: /^5( |$)/ }).click();
      await expect(screens.nps(page)).toBeVisible();
    });
  });

  test('exports the period as CSV (BOM) and JSONL into the chosen folder', async ({ page, seeded }) => {
    // The stick is plugged in after the screen opened: it is offered once the list is refreshed.
    fs.rmSync(seeded.exportDir, { recursive: true });
    await openSupervisor(page, seeded.host.url);
    await openTab(page, 'Выгрузка');
    const exportPanel = page.getByTestId('export');
    const folders = exportPanel.getByRole('combobox');
    await expect(folders.locator('option')).toHaveCount(1); // the console's own exports folder
    fs.mkdirSync(seeded.exportDir);
    await exportPanel.getByRole('button', { name: 'Обновить список папок' }).click();
    await expect(folders.locator(`option[value="${seeded.exportDir}"]`)).toHaveCount(1);
    await folders.selectOption(seeded.exportDir);
    await exportPanel.getByRole('button', { name: 'Выгрузить' }).click();
    const today = SEEDS.filter((s) => s.daysAgo === 0 && s.window === WINDOW).length;
    await expect(page.getByTestId('export-result')).toContainText(`Записано ответов: ${today}`);
    const csv = fs.readdirSync(seeded.exportDir).find((f) => f.endsWith('.csv'))!;
    const text = fs.readFileSync(path.join(seeded.exportDir, csv), 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.trim().split('\r\n')).toHaveLength(today + 1);

    await exportPanel.getByLabel('JSONL').check();
    await exportPanel.getByRole('button', { name: 'Выгрузить' }).click();
    await expect.poll(() => fs.readdirSync(seeded.exportDir).filter((f) => f.endsWith('.jsonl')).length).toBe(1);
    const jsonl = fs.readdirSync(seeded.exportDir).find((f) => f.endsWith('.jsonl'))!;
    const records = fs
      .readFileSync(path.join(seeded.exportDir, jsonl), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { window_id: string; flags: string[] });
    expect(records).toHaveLength(today);
    expect(records.every((r) => r.window_id === WINDOW)).toBe(true);
    expect(records.filter((r) => r.flags.includes('misuse'))).toHaveLength(3);
  });

  test('a setting changed on the screen is refused if invalid, else saved to the config file, applied and logged', async ({
    page,
    seeded,
  }) => {
    await openSupervisor(page, seeded.host.url);
    await openTab(page, 'Настройки');
    const settings = page.getByTestId('settings');
    await settings.getByLabel('Номер окна').fill('7');
    await settings.getByLabel('Язык по умолчанию').selectOption('uz');
    // Languages no native speaker has reviewed yet say so (their locale file's `reviewed`).
    await expect(settings.locator('label', { has: page.getByRole('checkbox', { name: 'Oʻzbekcha' }) })).toContainText(
      'черновой перевод',
    );
    await expect(settings.locator('label', { has: page.getByRole('checkbox', { name: 'Русский' }) })).not.toContainText(
      'черновой перевод',
    );
    await settings.getByRole('checkbox', { name: 'Oʻzbekcha' }).uncheck();
    await settings.getByRole('checkbox', { name: 'Выбор языка перед первым вопросом' }).check();
    // Each change kept the ones before it (a later one applied to a stale draft used to undo the label).
    await expect(settings.getByLabel('Номер окна')).toHaveValue('7');
    await settings.getByRole('button', { name: 'Сохранить' }).click();
    await expect(page.getByTestId('settings-outcome')).toContainText(
      'language.default: язык по умолчанию должен быть среди включённых',
    );
    await settings.getByLabel('Язык по умолчанию').selectOption('ru');
    await settings.getByRole('button', { name: 'Сохранить' }).click();
    await expect(page.getByTestId('settings-outcome')).toHaveText('Сохранено и применено.');
    await expect(page.getByTestId('audit')).toContainText('номер окна');
    await expect(page.getByTestId('audit')).toContainText('"7"');
    const saved = JSON.parse(fs.readFileSync(seeded.configFile, 'utf8')) as PultConfigInput;
    expect(saved.window.label).toBe('7');
    expect(saved.flow?.[0]).toEqual({ type: 'language' });
    await page.getByRole('button', { name: 'Закрыть' }).click();
    await expect(page.getByText('Окно 7')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Выберите язык' })).toBeVisible();
  });

  test('/admin opens on the PIN pad and shows the same figures', async ({ page, seeded }) => {
    await page.goto(`${seeded.host.url}admin`);
    await expect(pinTitle(page)).toBeVisible();
    await typePin(page, PIN);
    await expect(page.getByRole('heading', { name: /Руководитель — пульт/ })).toBeVisible();
    await expect(page.getByTestId('figure-satisfied').locator('.figure__value')).toHaveText(expected(1, WINDOW).share);
    // Printed from the browser: the one-page summary (figures, trend, reasons), without the controls, export and settings.
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByTestId('figure-satisfied')).toBeVisible();
    await expect(page.getByTestId('reasons')).toBeVisible();
    await expect(page.getByTestId('print-heading')).toContainText('итоги');
    for (const hidden of [
      page.getByTestId('by-hour'),
      page.getByTestId('export'),
      page.getByTestId('settings'),
      page.getByRole('button', { name: 'Закрыть' }),
    ])
      await expect(hidden).toBeHidden();
  });

  const PANELS = [
    { name: '1280x800', width: 1280, height: 800 },
    { name: '1024x600', width: 1024, height: 600 },
    { name: '800x480', width: 800, height: 480 },
  ];
  const TABS = {
    ru: ['Окно', 'Операторы', 'Состояние', 'Выгрузка', 'Настройки'],
    en: ['Window', 'Operators', 'Health', 'Export', 'Settings'],
  };

  /** Every control at least 44 px; no part of the screen scrolls sideways. */
  async function expectFitsTheWidth(page: Page, where: string): Promise<void> {
    const width = await page.locator('.staff').evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
    expect(width.scroll, `${where}: no sideways scrolling`).toBeLessThanOrEqual(width.client);
    const small: string[] = [];
    for (const control of await page.locator('button, select, input').all()) {
      const box = await control.boundingBox();
      if (box && Math.min(box.width, box.height) < 44) small.push(`${await control.evaluate((e) => e.outerHTML.slice(0, 80))}`);
    }
    expect(small, `${where}: controls under 44 px`).toEqual([]);
  }

  /** Sections (a figure, a chart, a table, a form) taller than the screen: each should be read without scrolling inside it. */
  const tallSections = (page: Page, height: number) =>
    page
      .getByRole('tabpanel')
      .locator('.staff__section, .figure, .staff__table, [data-testid="export"], [data-testid="settings"]')
      .evaluateAll(
        (all, screen) =>
          all
            .filter((e) => e.getBoundingClientRect().height > screen)
            .map((e) => `${e.getAttribute('data-testid') ?? e.className}: ${Math.round(e.getBoundingClientRect().height)} px`),
        height,
      );

  for (const panel of PANELS)
    for (const language of ['ru', 'en'] as const)
      test(`${panel.name}, ${language}: the PIN pad fits the screen; each tab: nothing sideways, controls ≥ 44 px, no axe violations`, async ({
        page,
        seeded,
      }, testInfo) => {
        // The supervisor's chunk is where zod is loaded: it must not probe eval (a CSP violation) or log an error.
        const problems: string[] = [];
        page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
        page.on('pageerror', (error) => problems.push(error.message));
        await page.setViewportSize(panel);
        await page.goto(seeded.host.url);
        await expect(screens.csi(page)).toBeVisible();
        await holdCorner(page);
        // The PIN pad: its title and every key on the screen, nothing to scroll to.
        const pad = await page.locator('.pin').evaluate((e) => ({ scroll: e.scrollHeight, client: e.clientHeight }));
        expect(pad.scroll, 'the PIN pad fits without scrolling').toBeLessThanOrEqual(pad.client);
        expect((await pinTitle(page).boundingBox())!.y, 'the PIN title is on the screen').toBeGreaterThanOrEqual(0);
        await expectFitsTheWidth(page, 'PIN pad');
        if (language === 'ru') await page.screenshot({ path: path.join(SCREENSHOTS, `supervisor-${panel.name}-ru-pin.png`) });
        const pinAxe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze();
        expect(pinAxe.violations.map((v) => v.id)).toEqual([]);

        await typePin(page, PIN);
        await expect(dashboard(page)).toBeVisible();
        if (language === 'en') {
          await page.getByLabel('Язык экрана').selectOption('en');
          await expect(page.getByRole('heading', { name: 'Supervisor — window 5' })).toBeVisible();
        }
        const measured: string[] = [];
        for (const tab of TABS[language]) {
          await openTab(page, tab);
          await expect(page.getByRole('tabpanel').locator('section, table').first()).toBeVisible();
          await expectFitsTheWidth(page, tab);
          const tall = await tallSections(page, panel.height);
          // On the 7-inch 1024×600 panel and larger, each section is read without scrolling inside it.
          if (panel.height >= 600) expect(tall, `${tab}: sections taller than the screen`).toEqual([]);
          measured.push(
            `${tab} ${await page.locator('.staff').evaluate((e) => e.scrollHeight)} px${tall.length ? ` (taller than the screen: ${tall.join('; ')})` : ''}`,
          );
          const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
          expect(axe.violations.map((v) => `${tab} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
        }
        expect(problems).toEqual([]);
        testInfo.annotations.push({ type: 'tab heights', description: measured.join(', ') });
        console.log(`supervisor ${panel.name} ${language}: ${measured.join(', ')}`);

        if (panel.name !== '800x480') {
          await openTab(page, TABS[language][0]!);
          await page.getByTestId('figure-satisfied').scrollIntoViewIfNeeded();
          // The period's heading names today's date: masked, so that a clean tree stays clean from day to day.
          await page.screenshot({
            path: path.join(SCREENSHOTS, `supervisor-${panel.name}-${language}-figures.png`),
            mask: [page.getByTestId('period-heading')],
            maskColor: '#d9d9d9',
          });
          await page.getByTestId('by-hour').scrollIntoViewIfNeeded();
          await page.screenshot({ path: path.join(SCREENSHOTS, `supervisor-${panel.name}-${language}-charts.png`) });
        }
      });
});
