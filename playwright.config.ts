import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH_OPTIONS } from './tests/support/chromium.js';

/**
 * End-to-end tests drive Debian's Chromium (Playwright's own browser download is not available
 * here) against `pult serve` started per test with a real database in a temporary directory.
 */
export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    browserName: 'chromium',
    launchOptions: CHROMIUM_LAUNCH_OPTIONS,
    viewport: { width: 1024, height: 600 },
    locale: 'ru-RU',
    trace: 'off',
  },
});
