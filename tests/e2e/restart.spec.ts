import path from 'node:path';
import { startHost } from '../support/host-process.js';
import { expect, openConsole, scoreButton, screens, test } from './fixtures.js';

/** The console's process dies under an open screen (a crash, an update) and systemd starts it again. */
test('«Пульт перезапускается…» while the core is down; the same page comes back by itself, and what was stored stays', async ({
  page,
  pult,
}) => {
  await openConsole(page, pult);
  await scoreButton(page, 5).click();
  await expect(screens.nps(page)).toBeVisible();
  // Marks this document: a reload (by the kiosk or the browser's error page) would lose it.
  await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));

  pult.host.child.kill('SIGKILL');
  await expect(page.getByRole('status')).toHaveText('Пульт перезапускается…');

  const port = new URL(pult.url).port;
  const configFile = path.join(path.dirname(pult.dataDir), 'console.json');
  const again = await startHost(['--port', port, '--config', configFile, '--data-dir', pult.dataDir]);
  try {
    // A new core: a new applicant from the first question; the answer before the crash was kept.
    await expect(screens.csi(page)).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    await scoreButton(page, 4).click();
    await expect(screens.nps(page)).toBeVisible();
    expect(pult.rows().map((r) => [r.question, r.value])).toEqual([
      ['csi', 5],
      ['csi', 4],
    ]);
  } finally {
    await page.close();
    await again.stop();
  }
});
