import fs from 'node:fs';
import path from 'node:path';

/** Where a Chromium for the tests may be: $PULT_CHROMIUM, Debian's package, or on the PATH. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.PULT_CHROMIUM) return fs.existsSync(env.PULT_CHROMIUM) ? env.PULT_CHROMIUM : null;
  const onPath = (env.PATH ?? '')
    .split(path.delimiter)
    .flatMap((dir) => ['chromium', 'chromium-browser', 'google-chrome'].map((name) => path.join(dir, name)));
  return ['/usr/bin/chromium', ...onPath].find((candidate) => fs.existsSync(candidate)) ?? null;
}

/**
 * How tests and benchmarks start Chromium: Debian's package (Playwright's own browser download is
 * not available here), headless, with the background traffic this closed network would refuse.
 * `npm test` checks first that there is one (tests/preflight.ts).
 */
export const CHROMIUM_LAUNCH_OPTIONS = {
  executablePath: findChromium() ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
};
