import { LOCALES } from '../../shared/locales/index.js';
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
  test.use({
    boxConfig: { unanswerable: 'skip' },
    consoleConfig: {
      flow: [{ type: 'csi' }, { type: 'reasons_if_low', threshold: 3 }, { type: 'nps' }, { type: 'comment' }],
      timeouts: { guardMs: 10_000, thanksMs: 10_000 },
    },
  });

  test('every screen is completed from the box alone: the reasons by buttons 1–4 and «Готово» on 5, the comment passed on 5', async ({
    page,
    pult,
  }) => {
    await openConsole(page, pult);
    await boxConnected(pult);
    await settled(page);
    pult.box!.sim.press(2); // CSI 2
    await expect(screens.reasons(page)).toBeVisible();
    // The screen says which button does what: 1–4 on the first four reasons, 5 on «Готово».
    await expect(page.locator('.reason .box-key')).toHaveText(['1', '2', '3', '4']);
    await expect(page.getByRole('button', { name: `5 ${LOCALES.ru.actions.done}` })).toBeVisible();
    await settled(page);
    pult.box!.sim.press(1);
    await expect(page.locator('.reason[aria-pressed="true"]')).toHaveCount(1);
    pult.box!.sim.press(3);
    await expect(page.locator('.reason[aria-pressed="true"]')).toHaveCount(2);
    pult.box!.sim.press(5); // «Готово»; NPS (0–10) has no buttons on this box and is passed over
    await expect(page.getByRole('heading', { name: LOCALES.ru.comment.question })).toBeVisible();
    await expect(page.getByRole('button', { name: `5 ${LOCALES.ru.actions.skip}` })).toBeVisible();
    await expect(page.locator('.key').first()).toBeEnabled(); // settled: longer than the box's debounce since «Готово»
    pult.box!.sim.press(5); // the comment: a box cannot type, its last button passes it
    await expect(screens.thanks(page)).toBeVisible();
    expect(pult.rows().map((r) => [r.question, r.value, r.reasons])).toEqual([
      ['csi', 2, null],
      ['reasons', null, '["waiting_time","competence"]'],
    ]);
    // A press right after «Спасибо!» is kept as misuse, and changes nothing (another button: the
    // same one again so soon would be one press to the box's debounce).
    pult.box!.sim.press(4);
    await expect.poll(() => pult.rows().length).toBe(3);
    expect(pult.rows()[2]).toMatchObject({ question: 'csi', value: 4, flags: '["misuse"]' });
    await expect(screens.thanks(page)).toBeVisible();
  });
});

test.describe('a box-only console that asks the language first', () => {
  test.use({
    boxConfig: {},
    consoleConfig: {
      language: { default: 'ru', enabled: ['ru', 'en', 'uz', 'tg', 'ky'] },
      flow: [{ type: 'language' }, { type: 'csi' }, { type: 'mkgu' }],
      // No guard: the test's next press after «Спасибо!» is the next applicant's, whenever it lands.
      timeouts: { guardMs: 0, thanksMs: 60_000 },
    },
  });

  test('language, CSI and the five criteria from the box alone; after «Спасибо!» a press brings the next applicant the language screen', async ({
    page,
    pult,
  }) => {
    await page.goto(pult.url);
    await expect(screens.language(page)).toBeVisible();
    await boxConnected(pult);
    // The screen says which button chooses which language, each named in its own.
    await expect(page.locator('.language-choice__button')).toHaveText([
      '1Русский',
      '2English',
      '3Oʻzbekcha',
      '4Тоҷикӣ',
      '5Кыргызча',
    ]);
    await settled(page);
    pult.box!.sim.press(5); // Кыргызча
    await expect(page.getByRole('heading', { name: LOCALES.ky.csi.question })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'ky');
    const criteria = [9, 10, 11, 12, 13].map((n) => LOCALES.ky[`mkgu_${n}` as 'mkgu_9'].question);
    const presses = [4, 5, 3, 2, 1, 4];
    for (const [index, button] of presses.entries()) {
      await settled(page);
      pult.box!.sim.press(button);
      if (index < criteria.length) await expect(page.getByRole('heading', { name: criteria[index], exact: true })).toBeVisible();
    }
    await expect(screens.thanks(page)).toBeVisible();
    expect(pult.rows().map((r) => [r.question, r.value, r.locale, r.source])).toEqual([
      ['csi', 4, 'ky', 'button:box1'],
      ['mkgu_9', 5, 'ky', 'button:box1'],
      ['mkgu_10', 3, 'ky', 'button:box1'],
      ['mkgu_11', 2, 'ky', 'button:box1'],
      ['mkgu_12', 1, 'ky', 'button:box1'],
      ['mkgu_13', 4, 'ky', 'button:box1'],
    ]);
    // «Спасибо!» would stay a minute: the next applicant's press brings the language screen at once,
    // in the default language, and chooses nothing they have not seen.
    pult.box!.sim.press(2);
    await expect(screens.language(page)).toHaveText(LOCALES.ru.language.choose);
    await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
    expect(pult.rows()).toHaveLength(6);
  });
});
