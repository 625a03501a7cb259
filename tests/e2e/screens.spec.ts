import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { LOCALES } from '../../shared/locales/index.js';
import {
  axeViolations,
  chooseVision,
  expect,
  openConsole,
  scoreButton,
  screens,
  STANDARD_MODE,
  test,
  VISION_MODES,
  type VisionMode,
} from './fixtures.js';

/**
 * Every applicant screen, in every shipped language, on the terminals we know of, as designed and
 * in every «версия для слабовидящих»: nothing scrolls, every answer button is fully on screen and
 * large (and, in a mode, in its order, as wide and nearly as tall as it was), and axe finds no violation — 7:1 contrast
 * included. The 1024×600 pass also refreshes the README's screenshots.
 */
const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const VIEWPORTS = [
  { name: '7in-1024x600', width: 1024, height: 600 },
  { name: '10in-1280x800', width: 1280, height: 800 },
  { name: 'portrait-1080x1920', width: 1080, height: 1920 },
  { name: 'landscape-1920x1080', width: 1920, height: 1080 },
] as const;
const LANGUAGES = [
  { code: 'ru', switchTo: 'Русский' },
  { code: 'en', switchTo: 'English' },
  { code: 'uz', switchTo: 'Oʻzbekcha' },
  { code: 'tg', switchTo: 'Тоҷикӣ' },
  { code: 'ky', switchTo: 'Кыргызча' },
] as const;

/** README shows every ru/en screen on the 7" panel, the first screen elsewhere and in each language. */
const wantsScreenshot = (viewport: string, language: string, screen: string) =>
  // Every screen in every language on the 7-inch panel: the reviewers' sheets (docs/translations.md).
  viewport === '7in-1024x600' ||
  (screen === 'csi' && (language === 'ru' || language === 'en')) ||
  (viewport === 'portrait-1080x1920' && screen === 'nps' && language === 'ru');

type ScreenName = 'language' | 'csi' | 'reasons' | 'nps' | 'comment' | 'thanks';
/**
 * One applicant's way through every screen (the session lives in the core: a reload would not
 * restart it). The language screen is the same in every language (the default's words, each
 * language in its own): it is checked once, in the ru pass, and the others only choose on it.
 */
const reach: Record<Exclude<ScreenName, 'language'>, (page: Page) => Promise<void>> = {
  csi: async () => {},
  reasons: async (page) => scoreButton(page, 2).click(),
  nps: async (page) => page.locator('.action--secondary').click(),
  comment: async (page) => scoreButton(page, 10).click(),
  thanks: async (page) => page.locator('.action--secondary').click(),
};
const MIN_ANSWER_SIDE: Record<ScreenName, number> = { language: 80, csi: 100, nps: 80, reasons: 56, comment: 44, thanks: 0 };
const ANSWERS: Record<ScreenName, string> = {
  language: '.language-choice__button',
  csi: '.score',
  nps: '.score',
  reasons: '.reason',
  comment: '.key',
  thanks: '.score',
};

async function expectFitsWithoutScrolling(page: Page) {
  const overflow = await page.evaluate(() => ({
    vertical: document.documentElement.scrollHeight - window.innerHeight,
    horizontal: document.documentElement.scrollWidth - window.innerWidth,
  }));
  expect(overflow).toEqual({ vertical: 0, horizontal: 0 });
}

async function expectButtonsOnScreenAndLarge(page: Page, screen: ScreenName, viewport: { width: number; height: number }) {
  const buttons = await page.getByRole('button').all();
  for (const button of buttons) {
    const box = (await button.boundingBox())!;
    const name = (await button.getAttribute('aria-label')) ?? (await button.textContent());
    expect(box.x, `${name} left edge`).toBeGreaterThanOrEqual(0);
    expect(box.y, `${name} top edge`).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, `${name} right edge`).toBeLessThanOrEqual(viewport.width + 0.5);
    expect(box.y + box.height, `${name} bottom edge`).toBeLessThanOrEqual(viewport.height + 0.5);
    expect(Math.min(box.width, box.height), `${name} is a 44×44 target`).toBeGreaterThanOrEqual(44);
  }
  const answers = page.locator(ANSWERS[screen]);
  for (const answer of await answers.all()) {
    const box = (await answer.boundingBox())!;
    expect(Math.min(box.width, box.height), `answer button on ${screen}`).toBeGreaterThanOrEqual(MIN_ANSWER_SIDE[screen]);
    // A button, not a sliver: eleven NPS buttons in one row on a portrait stand were 79 × 1500 px.
    if (screen === 'nps')
      expect(Math.max(box.width, box.height) / Math.min(box.width, box.height), `NPS button`).toBeLessThan(2.5);
    // What it shows fits inside it («10» did not).
    const overflows = await answer.evaluate(
      (el) =>
        el.scrollHeight > el.clientHeight + 1 || [...el.querySelectorAll('*')].some((c) => c.scrollWidth > c.clientWidth + 1),
    );
    expect(overflows, `content of an answer button on ${screen}`).toBe(false);
  }
}

const answerBoxes = (page: Page, screen: ScreenName) =>
  page.locator(ANSWERS[screen]).evaluateAll((all) =>
    all.map((b) => {
      const r = b.getBoundingClientRect();
      return {
        text: b.getAttribute('data-value') ?? b.getAttribute('aria-label') ?? b.textContent ?? '',
        x: r.x,
        y: r.y,
        w: r.width,
        h: r.height,
      };
    }),
  );
const modeName = (mode: VisionMode) => `${mode.scheme} ×${mode.size}${mode.images ? '' : ' no pictures'}`;
/** docs/accessibility.md shows every mode of the 7" panel's ru screens, and the en first screen. */
const wantsModeScreenshot = (viewport: string, language: string, screen: string) =>
  viewport === '7in-1024x600' && (language === 'ru' || (language === 'en' && screen === 'csi'));

/**
 * The screen in each «версия для слабовидящих»: the answer buttons keep their order and width and at
 * least half their height, nothing scrolls, what a button shows fits in it, 0 axe findings; then back.
 */
async function expectEveryVisionMode(
  page: Page,
  language: keyof typeof LOCALES,
  screen: ScreenName,
  viewport: (typeof VIEWPORTS)[number],
) {
  const designed = await answerBoxes(page, screen);
  for (const mode of VISION_MODES) {
    await chooseVision(page, language, mode);
    const seen = modeName(mode);
    if (wantsModeScreenshot(viewport.name, language, screen))
      await page.screenshot({
        path: path.join(SCREENSHOTS, `vision-${viewport.name}-${language}-${screen}-${mode.scheme}-${mode.size}.png`),
      });
    await expectFitsWithoutScrolling(page);
    const boxes = await answerBoxes(page, screen);
    expect(
      boxes.map((b) => b.text),
      `${seen}: the same buttons in the same order`,
    ).toEqual(designed.map((b) => b.text));
    // Larger words take more lines above the buttons: a button keeps its width and at least half its height (and the minimum side checked below).
    boxes.forEach((box, i) => {
      const was = designed[i]!;
      expect(Math.abs(box.w - was.w), `${seen}: button ${box.text} keeps its width`).toBeLessThanOrEqual(1);
      expect(box.h / was.h, `${seen}: button ${box.text} keeps half its height or more`).toBeGreaterThanOrEqual(0.5);
    });
    await expectButtonsOnScreenAndLarge(page, screen, viewport);
    if (!mode.images)
      expect(await page.locator('.score__face').evaluateAll((all) => all.filter((f) => f.checkVisibility()).length)).toBe(0);
    expect(await axeViolations(page), seen).toEqual([]);
  }
  await chooseVision(page, language, STANDARD_MODE);
}

test.describe('applicant screens', () => {
  test.use({
    consoleConfig: {
      flow: [{ type: 'csi' }, { type: 'reasons_if_low', threshold: 3 }, { type: 'nps' }, { type: 'comment' }],
      timeouts: { idleMs: 600_000, thanksMs: 60_000, guardMs: 2_000 },
    },
  });

  test.describe('with the language screen first', () => {
    // Each test checks six screens in six modes with axe (~90 s here): they share both workers.
    test.describe.configure({ mode: 'parallel', timeout: 240_000 });
    test.use({
      consoleConfig: {
        flow: [
          { type: 'language' },
          { type: 'csi' },
          { type: 'reasons_if_low', threshold: 3 },
          { type: 'nps' },
          { type: 'comment' },
        ],
        timeouts: { idleMs: 600_000, thanksMs: 60_000, guardMs: 2_000 },
      },
    });
    for (const viewport of VIEWPORTS) {
      for (const language of LANGUAGES) {
        test(`${viewport.name}, ${language.code}: every screen fits, big targets, no axe violations`, async ({ page, pult }) => {
          await page.setViewportSize(viewport);
          await page.goto(pult.url);
          await expect(screens.language(page)).toBeVisible();
          const languageScreen = language.code === 'ru' ? (['language'] as const) : [];
          for (const screen of [...languageScreen, 'csi', 'reasons', 'nps', 'comment', 'thanks'] as const) {
            if (screen === 'csi') await page.getByRole('button', { name: language.switchTo }).click();
            if (screen !== 'language') await reach[screen](page);
            await expect(screens[screen](page)).toBeVisible();
            await expect(page.locator('html')).toHaveAttribute('lang', language.code);

            await expectFitsWithoutScrolling(page);
            await expectButtonsOnScreenAndLarge(page, screen, viewport);
            if (screen === 'nps' && viewport.height > viewport.width) {
              // On a portrait stand the rows share the height (they sat in its middle third, the rest empty).
              const boxes = await page
                .locator('.score')
                .evaluateAll((all) => all.map((b) => b.getBoundingClientRect().toJSON() as DOMRect));
              const span = Math.max(...boxes.map((b) => b.bottom)) - Math.min(...boxes.map((b) => b.top));
              expect(span / viewport.height, 'NPS rows use the portrait height').toBeGreaterThan(0.5);
            }
            await expect(page.getByRole('button', { name: LOCALES[language.code].vision.toggle })).toBeVisible();
            expect(await axeViolations(page)).toEqual([]);

            if (wantsScreenshot(viewport.name, language.code, screen))
              await page.screenshot({ path: path.join(SCREENSHOTS, `${viewport.name}-${language.code}-${screen}.png`) });
            await expectEveryVisionMode(page, language.code, screen, viewport);
          }
        });
      }
    }
  });

  test('loads without a CSP violation, a console error or a failed request (favicon included)', async ({ page, pult }) => {
    const problems: string[] = [];
    page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
    page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
    page.on('response', (response) => response.status() >= 400 && problems.push(`${response.status()} ${response.url()}`));
    page.on('requestfailed', (request) => problems.push(`failed ${request.url()}`));
    await openConsole(page, pult);
    await scoreButton(page, 2).click();
    await expect(screens.reasons(page)).toBeVisible();
    await page.getByRole('button', { name: 'Пропустить' }).click();
    await expect(screens.nps(page)).toBeVisible();
    await expect.poll(() => page.evaluate(() => document.querySelector('link[rel="icon"]') !== null)).toBe(true);
    const favicon = await page.request.get(new URL('favicon.svg', pult.url).href);
    expect(favicon.status()).toBe(200);
    expect(problems).toEqual([]);
  });

  test('score buttons are named by what they show (WCAG 2.5.3 Label in Name), number first', async ({ page, pult }) => {
    await openConsole(page, pult);
    const buttons = page.getByRole('group').getByRole('button');
    const shown = await buttons.evaluateAll((els) => els.map((el) => (el as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
    expect(shown).toEqual(['1 Очень плохо', '2 Плохо', '3 Нормально', '4 Хорошо', '5 Отлично']);
    for (const name of shown) await expect(page.getByRole('button', { name, exact: true })).toBeVisible();
  });
});
