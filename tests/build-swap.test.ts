import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from './support/temp-dir.js';

/**
 * build.mjs swaps a new build in with two renames, so a console always has its screens. A power
 * cut between them leaves only dist.old/: the `pult` command puts it back and runs.
 */
const tempDir = useTempDirs();
const root = path.resolve(__dirname, '..');

function fakeInstall(): string {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.copyFileSync(path.join(root, 'bin/pult.js'), path.join(dir, 'bin/pult.js'));
  fs.cpSync(path.join(root, 'shared/admin/locales'), path.join(dir, 'shared/admin/locales'), { recursive: true });
  return dir;
}
const runBin = (dir: string, env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [path.join(dir, 'bin/pult.js')], {
    encoding: 'utf8',
    env: { ...process.env, PULT_LANG: 'en', ...env },
  });

describe('the build on disk', () => {
  it('a swap cut short (only dist.old/ left) is put back and the command runs', () => {
    const dir = fakeInstall();
    fs.mkdirSync(path.join(dir, 'dist.old/cli'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'dist.old/cli/pult.js'), "process.stdout.write('previous build ran\\n');");
    const run = runBin(dir);
    expect(run.stdout).toBe('previous build ran\n');
    expect(fs.existsSync(path.join(dir, 'dist/cli/pult.js'))).toBe(true);
  });

  it('with no build at all it says what to run, in the IT staff’s language, and exits 1', () => {
    const dir = fakeInstall();
    expect(runBin(dir)).toMatchObject({
      status: 1,
      stderr: 'pult: not built yet; run "npm run build" in the Pult folder first\n',
    });
    expect(runBin(dir, { PULT_LANG: 'ru' }).stderr).toMatch(/ещё не собран/);
  });
});
