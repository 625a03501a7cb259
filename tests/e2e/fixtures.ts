import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';
import { DEMO_CONFIG, type PultConfigInput } from '../../shared/config.js';
import { LOCALES } from '../../shared/locales/index.js';
import { startHost, type RunningHost } from '../support/host-process.js';
import { systemBinding } from '../../hardware/binding.js';
import { virtualBox, type VirtualBox } from '../../hardware/simulator.js';

export interface StoredRow {
  seq: number;
  response_id: string;
  question: string;
  value: number | null;
  reasons: string | null;
  comment: string | null;
  locale: string;
  source: string;
  flags: string;
  window_id: string;
}

export interface ConsoleUnderTest {
  url: string;
  /** A Pult button box on a real serial line (socat pty pair), when the test asked for one. */
  box: VirtualBox | null;
  host: RunningHost;
  dataDir: string;
  /** Everything in the console's database right now, read as `pult export` would. */
  rows(): StoredRow[];
}

type Fixtures = {
  consoleConfig: Partial<PultConfigInput>;
  /** Plug in a 5-button Pult box (the simulator) with these settings; null: no box. */
  boxConfig: Record<string, unknown> | null;
  pult: ConsoleUnderTest;
};

/** A console per test: its own data directory and config, started and stopped around the test. */
export const test = base.extend<Fixtures>({
  consoleConfig: [{}, { option: true }],
  boxConfig: [null, { option: true }],
  pult: async ({ consoleConfig, boxConfig, context }, use) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pult-e2e-'));
    const box = boxConfig ? await virtualBox({ dir, buttons: 5, binding: await systemBinding() }) : null;
    const boxes = box ? [{ id: 'box1', port: { path: box.consolePath }, buttons: 5, ...boxConfig }] : [];
    const configFile = path.join(dir, 'console.json');
    fs.writeFileSync(
      configFile,
      JSON.stringify({ ...DEMO_CONFIG, window: { id: 'window-5', label: '5' }, boxes, ...consoleConfig }),
    );
    const dataDir = path.join(dir, 'data');
    const host = await startHost(['--config', configFile, '--data-dir', dataDir]);
    const rows = (): StoredRow[] => {
      const db = new Database(path.join(dataDir, 'pult.sqlite'), { readonly: true });
      try {
        return db.prepare('SELECT * FROM answers ORDER BY seq').all() as StoredRow[];
      } finally {
        db.close();
      }
    };
    await use({ url: host.url, box, host, dataDir, rows });
    // Pages close before their console stops: no page is ever left talking to a vanished server.
    await Promise.all(context.pages().map((page) => page.close()));
    await host.stop();
    await box?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  },
});

export { expect };

/** The applicant screens, found the way a person (or screen reader) finds them: by their heading, in any language. */
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const headingIn = (pick: (strings: (typeof LOCALES)['ru']) => string) =>
  new RegExp(
    `^(${Object.values(LOCALES)
      .map((strings) => escapeRegExp(pick(strings)))
      .join('|')})$`,
  );
export const screens = {
  language: (page: Page) => page.getByRole('heading', { name: headingIn((s) => s.language.choose) }),
  csi: (page: Page) => page.getByRole('heading', { name: headingIn((s) => s.csi.question) }),
  reasons: (page: Page) => page.getByRole('heading', { name: headingIn((s) => s.reasons.question) }),
  nps: (page: Page) => page.getByRole('heading', { name: headingIn((s) => s.nps.question) }),
  comment: (page: Page) => page.getByRole('heading', { name: headingIn((s) => s.comment.question) }),
  thanks: (page: Page) => page.getByRole('heading', { name: headingIn((s) => s.thanks.title) }),
};

export const scoreButton = (page: Page, value: number) => page.getByRole('button', { name: new RegExp(`^${value}( |$)`) });

/**
 * A new question takes no touch until it settled (timeouts.settleMs): wait for that state before
 * pressing a key, as an applicant who read the question would. (Clicks wait for it by themselves.)
 */
export async function settled(page: Page): Promise<void> {
  await expect(page.locator('.score, .reason, .language-choice__button').first()).toBeEnabled();
}

/**
 * Taps a score button right now if the screen shows it — no waiting for it to appear, as a finger
 * landing at the same moment as another screen's or a box's press: used to race presses.
 */
export function tapNow(page: Page, question: 'csi' | 'nps', value: number): Promise<void> {
  return page.evaluate(
    ([q, v]) => (document.querySelector(`.score--${q}[data-value="${v}"]`) as HTMLButtonElement | null)?.click(),
    [question, String(value)] as const,
  );
}

export async function openConsole(page: Page, pult: ConsoleUnderTest): Promise<void> {
  await page.goto(pult.url);
  await expect(screens.csi(page)).toBeVisible();
}

/**
 * The screen's calls go over POST only: its call socket is refused before it opens, so that a test
 * can fault the POST path with `page.route` (the socket's own faults: `routeWebSocket`).
 */
export async function postOnly(page: Page): Promise<void> {
  await page.routeWebSocket('**/api/calls', (socket) => socket.close());
}

export const pinTitle = (page: Page) => page.getByRole('heading', { name: /Введите PIN руководителя|Enter the supervisor PIN/ });

/** Types a PIN on the supervisor's pad and presses «Войти». */
export async function typePin(page: Page, pin: string): Promise<void> {
  for (const digit of pin) await page.locator('.pin__key', { hasText: new RegExp(`^${digit}$`) }).click();
  await page.getByRole('button', { name: /^(Войти|Enter)$/ }).click();
}

/** Waits until the console reports its (first) button box connected. */
export const boxConnected = (pult: ConsoleUnderTest) =>
  expect
    .poll(async () => {
      const status = (await (await fetch(`${pult.url}api/getStatus`, { method: 'POST' })).json()) as {
        value: { boxes: { connected: boolean }[] };
      };
      return status.value.boxes[0]?.connected;
    })
    .toBe(true);

/**
 * What axe finds wrong on the page: WCAG 2.2 A/AA, and beyond it what a public console promises —
 * 7:1 contrast (`color-contrast-enhanced`, AAA, off in axe by default) and the visible label inside
 * the accessible name (`label-content-name-mismatch`, which axe calls experimental). Each finding
 * names the rule and the elements.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .options({
      rules: {
        'color-contrast-enhanced': { enabled: true },
        'label-content-name-mismatch': { enabled: true },
        'target-size': { enabled: true },
      },
    })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** A «версия для слабовидящих» the applicant can choose: the text size (1–3), the colours, pictures. */
export interface VisionMode {
  size: 1 | 2 | 3;
  scheme: keyof (typeof LOCALES)['ru']['vision']['schemes'];
  images: boolean;
}
export const STANDARD_MODE: VisionMode = { size: 1, scheme: 'standard', images: true };
/** Every scheme, each with a larger text; the largest text with pictures off. */
export const VISION_MODES: readonly VisionMode[] = [
  { size: 3, scheme: 'black-on-white', images: false },
  { size: 2, scheme: 'white-on-black', images: true },
  { size: 3, scheme: 'blue', images: true },
  { size: 2, scheme: 'beige', images: false },
  { size: 3, scheme: 'standard', images: true },
];

/** Chooses a mode the way an applicant does: the eye control, the three choices, «Готово». */
export async function chooseVision(page: Page, language: keyof typeof LOCALES, mode: VisionMode): Promise<void> {
  const words = LOCALES[language].vision;
  await page.getByRole('button', { name: words.toggle }).click();
  const panel = page.locator('#vision-panel');
  await panel.getByRole('button', { name: words.sizes[String(mode.size) as '1' | '2' | '3'], exact: true }).click();
  await panel.getByRole('button', { name: words.schemes[mode.scheme], exact: true }).click();
  await panel.getByRole('button', { name: mode.images ? words.imagesOn : words.imagesOff, exact: true }).click();
  await panel.getByRole('button', { name: LOCALES[language].actions.done, exact: true }).click();
  await expect(page.locator('.console')).toHaveAttribute('data-scheme', mode.scheme);
  await expect(page.locator('.console')).toHaveAttribute('data-size', String(mode.size));
}
