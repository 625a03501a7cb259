import type { Page } from '@playwright/test';
import { expect, openConsole, scoreButton, screens, test } from './fixtures.js';

/** The page's one prompt player: which file it holds, how loud, whether it has played some of it. */
const player = (page: Page) =>
  page.evaluate(() => {
    const audio = document.querySelector<HTMLAudioElement>('audio.console__prompt')!;
    return {
      file: new URL(audio.currentSrc || audio.src || 'about:blank').pathname,
      volume: audio.volume,
      played: audio.played.length > 0,
    };
  });

const soundControl = (page: Page) => page.locator('.sound__toggle');

/** Spoken prompts: off for every applicant until turned on; then each screen is read in the language shown. */
test.describe('spoken prompts', () => {
  test.use({
    consoleConfig: {
      flow: [{ type: 'csi' }, { type: 'nps' }],
      timeouts: { idleMs: 600_000, thanksMs: 1_500, guardMs: 500 },
      sound: { volume: 0.4 },
    },
  });

  test('read each screen aloud once switched on, at the office volume, in the language shown; off for the next applicant', async ({
    page,
    pult,
  }) => {
    await openConsole(page, pult);
    await expect(soundControl(page)).toHaveAttribute('aria-pressed', 'false');
    expect((await player(page)).played).toBe(false);

    await page.getByRole('button', { name: 'Озвучка' }).click();
    await expect(soundControl(page)).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(() => player(page)).toEqual({ file: '/prompts/ru/csi.ogg', volume: 0.4, played: true });

    await scoreButton(page, 5).click();
    await expect(screens.nps(page)).toBeVisible();
    await expect.poll(async () => (await player(page)).file).toBe('/prompts/ru/nps.ogg');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => player(page)).toEqual({ file: '/prompts/en/nps.ogg', volume: 0.4, played: true });

    // Tajik has no voice: the control says so and cannot be switched on; nothing plays.
    await page.getByRole('button', { name: 'Тоҷикӣ' }).click();
    await expect(soundControl(page)).toBeDisabled();
    await expect(soundControl(page)).toHaveText('Бе овоз');
    await expect
      .poll(() => page.evaluate(() => document.querySelector<HTMLAudioElement>('audio.console__prompt')!.paused))
      .toBe(true);

    await scoreButton(page, 9).click();
    await expect(screens.thanks(page)).toBeVisible();
    await expect(screens.csi(page)).toBeVisible();
    await expect(soundControl(page)).toHaveAttribute('aria-pressed', 'false');
  });
});

test.describe('a console without speakers', () => {
  test.use({ consoleConfig: { sound: { offered: false } } });

  test('offers no sound control', async ({ page, pult }) => {
    await openConsole(page, pult);
    await expect(page.getByRole('button', { name: 'Версия для слабовидящих' })).toBeVisible();
    await expect(soundControl(page)).toHaveCount(0);
  });
});
