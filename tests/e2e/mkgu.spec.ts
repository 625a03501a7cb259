import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { MKGU_INDICATORS } from '../../shared/answer.js';
import { LOCALES } from '../../shared/locales/index.js';
import {
  axeViolations,
  boxConnected,
  expect,
  openConsole,
  scoreButton,
  screens,
  settled,
  test,
  type ConsoleUnderTest,
} from './fixtures.js';

/**
 * The federal five criteria (issue 19, flow step `mkgu`) on a real console: by touch in Russian
 * and English (the five labelled buttons, «Пропустить» on each), and by a button box on a real pty
 * line. Screenshots of a criterion screen for the README.
 */
const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const criterion = (page: Page, indicator: number, language: 'ru' | 'en') =>
  page.getByRole('heading', { name: LOCALES[language][`mkgu_${indicator}` as 'mkgu_9'].question, exact: true });

const rows = (pult: ConsoleUnderTest) => pult.rows().map((r) => [r.question, r.value, r.source]);

test.describe('the five federal criteria by touch', () => {
  test.use({ consoleConfig: { flow: [{ type: 'csi' }, { type: 'mkgu' }], timeouts: { thanksMs: 60_000, idleMs: 600_000 } } });

  for (const language of ['ru', 'en'] as const)
    test(`${language}: one per screen, every point labelled, one skipped, no axe violations`, async ({ page, pult }) => {
      await page.setViewportSize({ width: 1024, height: 600 });
      await openConsole(page, pult);
      if (language === 'en') await page.getByRole('button', { name: 'English' }).click();
      await scoreButton(page, 5).click();
      const labels = Object.values(LOCALES[language].mkgu.labels);
      const given: [number, number | null][] = [
        [9, 4],
        [10, null],
        [11, 5],
        [12, 3],
        [13, 2],
      ];
      for (const [indicator, value] of given) {
        await expect(criterion(page, indicator, language)).toBeVisible();
        // Five buttons, each named by its number and word: «1 Очень плохо» … «5 Отлично».
        await expect(page.locator('.score')).toHaveText(labels.map((label, i) => `${i + 1} ${label}`));
        // What each shows fits inside it: «Удовлетворительно» on the narrowest of five.
        for (const button of await page.locator('.score').all())
          expect(
            await button.evaluate((el) => [...el.querySelectorAll('*')].some((c) => c.scrollWidth > c.clientWidth + 1)),
          ).toBe(false);
        if (indicator === 9) {
          expect(await axeViolations(page)).toEqual([]);
          await page.screenshot({ path: path.join(SCREENSHOTS, `7in-1024x600-${language}-mkgu.png`) });
        }
        if (value === null) await page.getByRole('button', { name: LOCALES[language].actions.skip }).click();
        else await scoreButton(page, value).click();
      }
      await expect(screens.thanks(page)).toBeVisible();
      expect(rows(pult)).toEqual([
        ['csi', 5, 'touch'],
        ['mkgu_9', 4, 'touch'],
        ['mkgu_11', 5, 'touch'],
        ['mkgu_12', 3, 'touch'],
        ['mkgu_13', 2, 'touch'],
      ]);
      expect(new Set(pult.rows().map((r) => r.response_id)).size).toBe(1);
    });
});

test.describe('the five federal criteria by a button box', () => {
  test.use({ boxConfig: {}, consoleConfig: { flow: [{ type: 'csi' }, { type: 'mkgu' }] } });

  test('a 5-button box answers the CSI and each criterion; the screen follows', async ({ page, pult }) => {
    await openConsole(page, pult);
    await boxConnected(pult);
    const presses = [4, 5, 4, 3, 2, 1];
    for (const [i, button] of presses.entries()) {
      await settled(page);
      pult.box!.sim.press(button);
      const next = MKGU_INDICATORS[i];
      if (next !== undefined) await expect(criterion(page, next, 'ru')).toBeVisible();
    }
    await expect(screens.thanks(page)).toBeVisible();
    expect(rows(pult)).toEqual([
      ['csi', 4, 'button:box1'],
      ['mkgu_9', 5, 'button:box1'],
      ['mkgu_10', 4, 'button:box1'],
      ['mkgu_11', 3, 'button:box1'],
      ['mkgu_12', 2, 'button:box1'],
      ['mkgu_13', 1, 'button:box1'],
    ]);
  });
});
