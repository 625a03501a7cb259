import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import { load as loadYaml } from 'js-yaml';
import { describe, expect, it } from 'vitest';

/** electron-builder.yml against the schema electron-builder itself validates configs with. */
const require = createRequire(import.meta.url);
const schemaFile = path.join(path.dirname(require.resolve('app-builder-lib/package.json')), 'scheme.json');
const root = path.resolve(__dirname, '..');

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
    expect(config.electronFuses).toMatchObject({ runAsNode: false, onlyLoadAppFromAsar: true, enableNodeCliInspectArguments: false });
    expect((config.extraMetadata as { main: string }).main).toBe('dist/electron/main.cjs');
  });
});
