import { boxConnected, expect, openConsole, scoreButton, screens, settled, tapNow, test } from './fixtures.js';

/** A Pult button box (the simulator on a socat pty pair) beside the touch screen of a real console. */
test.describe('a button box beside the screen', () => {
  test.use({ boxConfig: {} });

  test('an applicant rates with the box; the screen follows; NPS is left to the touch screen', async ({ page, pult }) => {
    await openConsole(page, pult);
    await boxConnected(pult);
    await settled(page);
    pult.box!.sim.press(4);
    await expect(screens.nps(page)).toBeVisible();
    await scoreButton(page, 9).click();
    await expect(screens.thanks(page)).toBeVisible();
    expect(pult.rows().map((r) => [r.question, r.value, r.source])).toEqual([
      ['csi', 4, 'button:box1'],
      ['nps', 9, 'touch'],
    ]);
  });

  test('two screens and the box pressed at once: one answer, both screens show it', async ({ page, pult }) => {
    const second = await page.context().newPage();
    await openConsole(page, pult);
    await openConsole(second, pult);
    await boxConnected(pult);
    await settled(page);
    await settled(second);
    // Every one of them would lead to NPS (no low score): whichever lands first is the answer.
    await Promise.all([tapNow(page, 'csi', 5), tapNow(second, 'csi', 4), Promise.resolve(pult.box!.sim.press(4))]);
    await expect(screens.nps(page)).toBeVisible();
    await expect(screens.nps(second)).toBeVisible();
    expect(pult.rows().filter((r) => r.question === 'csi')).toHaveLength(1);
  });
});

test.describe('a box-only console', () => {
  test.use({ boxConfig: { unanswerable: 'skip' }, consoleConfig: { timeouts: { guardMs: 10_000, thanksMs: 10_000 } } });

  test('questions the box cannot answer are passed over; a press right after «Спасибо!» is kept as misuse', async ({
    page,
    pult,
  }) => {
    await openConsole(page, pult);
    await boxConnected(pult);
    await settled(page);
    pult.box!.sim.press(2); // CSI 2: the reasons and NPS screens have no buttons on a 5-button box
    await expect(screens.thanks(page)).toBeVisible();
    pult.box!.sim.press(5);
    await expect.poll(() => pult.rows().length).toBe(2);
    expect(pult.rows().map((r) => [r.question, r.value, r.flags])).toEqual([
      ['csi', 2, '[]'],
      ['csi', 5, '["misuse"]'],
    ]);
    await expect(screens.thanks(page)).toBeVisible();
  });
});
