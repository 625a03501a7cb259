import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import * as asar from '@electron/asar';
import Ajv from 'ajv';
import { load as loadYaml } from 'js-yaml';
import { describe, expect, it } from 'vitest';

/** electron-builder.yml against the schema electron-builder itself validates configs with. */
const require = createRequire(import.meta.url);
const schemaFile = path.join(path.dirname(require.resolve('app-builder-lib/package.json')), 'scheme.json');
const root = path.resolve(__dirname, '../..');

function validate(config: unknown) {
  const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
  const check = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as object);
  return { valid: check(config), errors: ajv.errorsText(check.errors) };
}

describe('electron-builder.yml', () => {
  const config = loadYaml(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

  it("passes electron-builder's configuration schema", () => {
    expect(validate(config)).toEqual({ valid: true, errors: 'No errors' });
  });

  it('the schema check can fail: a misspelt key is caught', () => {
    expect(validate({ ...config, asarUnpak: ['x'] }).valid).toBe(false);
  });

  it('packs the built app with native modules unpacked and hardened fuses', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**');
    expect(config.npmRebuild).toBe(true);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      onlyLoadAppFromAsar: true,
      enableNodeCliInspectArguments: false,
    });
    expect((config.extraMetadata as { main: string }).main).toBe('dist/electron/main.cjs');
  });
});

describe('electron-builder --dir (offline: stub Electron, no rebuild, no fuses)', () => {
  it('packs the built app into app.asar with better-sqlite3 unpacked', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pult-pack-'));
    try {
      const stubElectron = path.join(work, 'electron-dist');
      fs.mkdirSync(stubElectron);
      fs.writeFileSync(path.join(stubElectron, 'electron'), '');
      fs.chmodSync(path.join(stubElectron, 'electron'), 0o755);
      const { electronFuses: _fuses, ...offline } = loadYaml(
        fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'),
      ) as Record<string, unknown>;
      const configFile = path.join(work, 'offline.json');
      const output = path.join(work, 'release');
      fs.writeFileSync(
        configFile,
        JSON.stringify({ ...offline, npmRebuild: false, electronDist: stubElectron, directories: { output } }),
      );
      const run = spawnSync(
        process.execPath,
        [require.resolve('electron-builder/cli.js'), '--dir', '--linux', '--config', configFile],
        {
          cwd: root,
          encoding: 'utf8',
          timeout: 240_000,
          env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
        },
      );
      expect(run.status, run.stdout + run.stderr).toBe(0);
      const resources = path.join(output, 'linux-unpacked/resources');
      const files = asar.listPackage(path.join(resources, 'app.asar'), { isPack: false }).map((f) => f.replaceAll('\\', '/'));
      expect(files).toEqual(
        expect.arrayContaining([
          '/dist/electron/main.cjs',
          '/dist/electron/preload.cjs',
          '/dist/renderer/index.html',
          '/package.json',
        ]),
      );
      expect(files.some((f) => f.startsWith('/tests/') || f.startsWith('/core/'))).toBe(false);
      const unpacked = fs.readdirSync(path.join(resources, 'app.asar.unpacked/node_modules/better-sqlite3/build/Release'));
      expect(unpacked).toContain('better_sqlite3.node');
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }, 300_000);
});
