import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, openConsole, scoreButton, screens, test } from './fixtures.js';

/**
 * Every applicant screen, in every shipped language, on the terminals we know of: nothing
 * scrolls, every answer button is fully on screen and large, and axe finds no violation.
 * The 1024×600 pass also refreshes the README's screenshots.
 */
const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const VIEWPORTS = [
  { name: '7in-1024x600', width: 1024, height: 600 },
  { name: '10in-1280x800', width: 1280, height: 800 },
  { name: 'portrait-1080x1920', width: 1080, height: 1920 },
  { name: 'landscape-1920x1080', width: 1920, height: 1080 },
] as const;
const LANGUAGES = [
  { code: 'ru', switchTo: null },
  { code: 'en', switchTo: 'English' },
  { code: 'uz', switchTo: 'Oʻzbekcha' },
  { code: 'tg', switchTo: 'Тоҷикӣ' },
  { code: 'ky', switchTo: 'Кыргызча' },
] as const;

/** README shows every ru/en screen on the 7" panel, the first screen elsewhere and in each language. */
const wantsScreenshot = (viewport: string, language: string, screen: string) =>
  (viewport === '7in-1024x600' && (screen === 'csi' || language === 'ru' || language === 'en')) ||
  (screen === 'csi' && (language === 'ru' || language === 'en')) ||
  (viewport === 'portrait-1080x1920' && screen === 'nps' && language === 'ru');

type ScreenName = 'csi' | 'reasons' | 'nps' | 'comment' | 'thanks';
/** One applicant's way through every screen (the session lives in the core: a reload would not restart it). */
const reach: Record<ScreenName, (page: Page) => Promise<void>> = {
  csi: async () => {},
  reasons: async (page) => scoreButton(page, 2).click(),
  nps: async (page) => page.locator('.action--secondary').click(),
  comment: async (page) => scoreButton(page, 10).click(),
  thanks: async (page) => page.locator('.action--secondary').click(),
};
const MIN_ANSWER_SIDE: Record<ScreenName, number> = { csi: 100, nps: 80, reasons: 56, comment: 44, thanks: 0 };
const ANSWERS: Record<ScreenName, string> = {
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
    const overflows = await answer.evaluate((el) => [...el.querySelectorAll('*')].some((c) => c.scrollWidth > c.clientWidth + 1));
    expect(overflows, `content of an answer button on ${screen}`).toBe(false);
  }
}

test.describe('applicant screens', () => {
  test.use({
    consoleConfig: {
      flow: [{ type: 'csi' }, { type: 'reasons_if_low', threshold: 3 }, { type: 'nps' }, { type: 'comment' }],
      timeouts: { idleMs: 600_000, thanksMs: 60_000, guardMs: 2_000 },
    },
  });

  for (const viewport of VIEWPORTS) {
    for (const language of LANGUAGES) {
      test(`${viewport.name}, ${language.code}: every screen fits, big targets, no axe violations`, async ({ page, pult }) => {
        await page.setViewportSize(viewport);
        await openConsole(page, pult);
        if (language.switchTo) await page.getByRole('button', { name: language.switchTo }).click();
        for (const screen of ['csi', 'reasons', 'nps', 'comment', 'thanks'] as const) {
          await reach[screen](page);
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
          const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
          expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

          if (wantsScreenshot(viewport.name, language.code, screen))
            await page.screenshot({ path: path.join(SCREENSHOTS, `${viewport.name}-${language.code}-${screen}.png`) });
        }
      });
    }
  }

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
