import { chooseVision, expect, openConsole, scoreButton, screens, test } from './fixtures.js';

/**
 * «Версия для слабовидящих» belongs to one applicant, as the language does: the next one finds the
 * console as designed. (Each mode on each screen, language and panel: screens.spec.ts.)
 */
test.describe('«версия для слабовидящих»', () => {
  test.use({
    consoleConfig: {
      flow: [{ type: 'csi' }, { type: 'nps' }],
      timeouts: { idleMs: 600_000, thanksMs: 1_500, guardMs: 500 },
    },
  });

  test('is kept through the response and reset for the next applicant', async ({ page, pult }) => {
    await openConsole(page, pult);
    await chooseVision(page, 'ru', { size: 3, scheme: 'white-on-black', images: false });
    await scoreButton(page, 5).click();
    await expect(screens.nps(page)).toBeVisible();
    await expect(page.locator('.console')).toHaveAttribute('data-scheme', 'white-on-black');
    await expect(page.locator('.score__face').first()).toBeHidden();
    await scoreButton(page, 9).click();
    await expect(screens.thanks(page)).toBeVisible();
    await expect(page.locator('.console')).toHaveAttribute('data-size', '3');

    await expect(screens.csi(page)).toBeVisible();
    await expect(page.locator('.console')).toHaveAttribute('data-scheme', 'standard');
    await expect(page.locator('.console')).toHaveAttribute('data-size', '1');
    await expect(page.locator('.score__face').first()).toBeVisible();
    // The choice changed how the screen looks, never what was stored: two answers, no more.
    expect(pult.rows().map((r) => [r.question, r.value])).toEqual([
      ['csi', 5],
      ['nps', 9],
    ]);
  });
});
