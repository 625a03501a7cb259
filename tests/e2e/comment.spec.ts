import type { Page } from '@playwright/test';
import { LOCALES } from '../../shared/locales/index.js';
import { axeViolations, expect, openConsole, scoreButton, screens, test } from './fixtures.js';

/**
 * The comment step and the office's own reasons (issue 19) on a real console in Chromium: the
 * reasons in the config's order with the office's words, «Другое» opening the comment screen, a
 * comment typed on the screen's own keyboard (Russian and English layouts, Shift, the layout key,
 * Backspace) and stored as its own answer of the response. (Its screenshots and its fit on every
 * panel in every language: screens.spec.ts.)
 */
const key = (page: Page, name: string) => page.locator('.keyboard').getByRole('button', { name, exact: true });

/** Types text key by key as a person would: Shift before a capital, the space bar for a space. */
async function type(page: Page, text: string, language: 'ru' | 'en') {
  const words = LOCALES[language].keyboard;
  for (const letter of text) {
    if (letter === ' ') await key(page, words.space).click();
    else {
      if (letter !== letter.toLocaleLowerCase(language)) await key(page, words.shift).click();
      await key(page, letter).click();
    }
  }
}

const REASONS = [
  { id: 'parking', label: { ru: 'Парковка', en: 'Parking', uz: 'Avtoturargoh', tg: 'Таваққуфгоҳ', ky: 'Унаа токтотмо' } },
  { id: 'waiting_time' },
  { id: 'other', comment: true },
];

test.describe('the office’s reasons, «Другое» and the comment', () => {
  test.use({
    consoleConfig: {
      flow: [{ type: 'csi' }, { type: 'reasons_if_low', threshold: 3, reasons: REASONS }, { type: 'comment' }],
      timeouts: { thanksMs: 60_000, idleMs: 600_000 },
    },
  });

  test('ru: the reasons in the config’s order; «Другое» opens the comment; typed on the keyboard, stored once', async ({
    page,
    pult,
  }) => {
    await page.setViewportSize({ width: 1024, height: 600 });
    await openConsole(page, pult);
    await scoreButton(page, 2).click();
    await expect(screens.reasons(page)).toBeVisible();
    await expect(page.locator('.reason')).toHaveText([
      'Парковка',
      LOCALES.ru.reasons.items.waiting_time,
      LOCALES.ru.reasons.items.other,
    ]);
    await page.getByRole('button', { name: 'Парковка' }).click();
    await page.getByRole('button', { name: LOCALES.ru.reasons.items.other }).click();
    await page.getByRole('button', { name: LOCALES.ru.actions.done }).click();

    await expect(page.getByRole('heading', { name: LOCALES.ru.comment.question })).toBeVisible();
    await expect(page.getByText(LOCALES.ru.comment.hint)).toBeVisible();
    const done = page.getByRole('button', { name: LOCALES.ru.actions.done });
    await expect(done).toBeDisabled(); // nothing typed yet
    await type(page, 'Нет пандусаа', 'ru');
    await key(page, LOCALES.ru.keyboard.backspace).click();
    await expect(page.locator('.comment__text')).toHaveValue('Нет пандуса');
    await expect(page.locator('.comment__count')).toHaveText('11 из 500');
    expect(await axeViolations(page)).toEqual([]);
    // Every key is a big target: at least 44 × 44 CSS px on a 7" 1024×600 screen.
    for (const box of await page
      .locator('.key')
      .evaluateAll((keys) => keys.map((k) => k.getBoundingClientRect().toJSON() as DOMRect)))
      expect([box.width >= 44, box.height >= 44]).toEqual([true, true]);
    await done.click();

    await expect(screens.thanks(page)).toBeVisible();
    const rows = pult.rows();
    expect(rows.map((r) => [r.question, r.reasons, r.comment])).toEqual([
      ['csi', null, null],
      ['reasons', '["parking","other"]', null],
      ['comment', null, 'Нет пандуса'],
    ]);
    expect(new Set(rows.map((r) => r.response_id)).size).toBe(1);
  });

  test('en: the English layout, the other alphabet a key away', async ({ page, pult }) => {
    await openConsole(page, pult);
    await page.getByRole('button', { name: 'English' }).click();
    await scoreButton(page, 5).click();
    await expect(page.getByRole('heading', { name: LOCALES.en.comment.question })).toBeVisible();
    await type(page, 'Ok ', 'en');
    await page
      .locator('.keyboard')
      .getByRole('button', { name: `${LOCALES.en.keyboard.switch} ${LOCALES.ru.keyboard.name}` })
      .click();
    await type(page, 'спасибо', 'ru');
    await expect(page.locator('.comment__text')).toHaveValue('Ok спасибо');
    await page.getByRole('button', { name: LOCALES.en.actions.done }).click();
    await expect(screens.thanks(page)).toBeVisible();
    const rows = pult.rows();
    expect(rows.map((r) => [r.question, r.comment, r.locale])).toEqual([
      ['csi', null, 'en'],
      ['comment', 'Ok спасибо', 'en'],
    ]);
  });

  test('«Пропустить» on the comment stores nothing for it', async ({ page, pult }) => {
    await openConsole(page, pult);
    await scoreButton(page, 4).click();
    await expect(page.getByRole('heading', { name: LOCALES.ru.comment.question })).toBeVisible();
    await type(page, 'черновик', 'ru');
    await page.getByRole('button', { name: LOCALES.ru.actions.skip }).click();
    await expect(screens.thanks(page)).toBeVisible();
    expect(pult.rows().map((r) => r.question)).toEqual(['csi']);
  });
});
