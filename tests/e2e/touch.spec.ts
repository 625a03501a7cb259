import type { Page } from '@playwright/test';
import { expect, openConsole, screens, settled, test } from './fixtures.js';

// The console reads a finger on its buttons itself (renderer/touch-taps.ts): these touch the
// screen through Chromium's touch events, as a touch screen does.
test.use({ hasTouch: true });

/** One finger on the glass, moved by hand: the DevTools protocol's touch events. */
async function finger(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  const at = async (selector: string) => {
    const box = (await page.locator(selector).first().boundingBox())!;
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  };
  return {
    down: async (selector: string) =>
      cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [await at(selector)] }),
    move: async (selector: string) =>
      cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [await at(selector)] }),
    up: () => cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] }),
  };
}

const score = (value: number) => `.score[data-value="${value}"]`;

test.describe('a finger on the applicant screen', () => {
  test('a tap on a score is one touch press: stored, and the next question shown', async ({ page, pult }) => {
    await openConsole(page, pult);
    await settled(page);
    await page.locator(score(5)).first().tap();
    await expect(screens.nps(page)).toBeVisible();
    expect(pult.rows().map((r) => [r.question, r.value, r.source])).toEqual([['csi', 5, 'touch']]);
  });

  test('a finger that slides off the button before it lifts answers nothing', async ({ page, pult }) => {
    await openConsole(page, pult);
    await settled(page);
    const hand = await finger(page);
    await hand.down(score(5));
    await hand.move('.question__text');
    await hand.up();
    await page.locator(score(4)).first().tap();
    await expect(screens.nps(page)).toBeVisible();
    expect(pult.rows().map((r) => [r.question, r.value])).toEqual([['csi', 4]]);
  });

  test('a resting finger makes the button look pressed; with a frozen core it stays so, and the next screen shows none pressed', async ({
    page,
    pult,
  }) => {
    await openConsole(page, pult);
    await settled(page);
    const hand = await finger(page);
    await hand.down(score(5));
    await expect(page.locator(score(5))).toHaveAttribute('data-pressed', '');
    const pid = pult.host.child.pid!;
    process.kill(pid, 'SIGSTOP'); // the core is slow to answer this press
    try {
      await hand.up();
      await expect(page.getByRole('status')).toHaveText('Сохраняем…');
      await expect(page.locator(score(5))).toHaveAttribute('data-pressed', '');
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await expect(screens.nps(page)).toBeVisible();
    await expect(page.locator('[data-pressed]')).toHaveCount(0);
    expect(pult.rows().map((r) => [r.question, r.value])).toEqual([['csi', 5]]);
  });

  test('a finger that rests while the screen moves on answers only the screen it landed on', async ({ page, pult }) => {
    await openConsole(page, pult);
    await settled(page);
    const hand = await finger(page);
    await hand.down(score(5));
    await page.keyboard.press('4'); // a button box's key answers first: the next question comes under the finger
    await expect(screens.nps(page)).toBeVisible();
    await settled(page); // the next question would take this lift: it is not the one the finger landed on
    await hand.up();
    await page.locator(score(9)).first().tap();
    await expect(screens.thanks(page)).toBeVisible();
    expect(pult.rows().map((r) => [r.question, r.value, r.source])).toEqual([
      ['csi', 4, 'keyboard'],
      ['nps', 9, 'touch'],
    ]);
  });
});
