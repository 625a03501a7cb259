import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { IMPORT_TABLE } from '../.eslint/import-table.js';

/**
 * The folder boundaries are ONE table (.eslint/import-table.js) enforced by one lint rule. This
 * proves the rule bites: every edge between two folders that the table does not allow is
 * refused, every allowed one passes, and a folder or package the table does not name is refused.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return result!.messages.filter((m) => m.ruleId === 'pult/allowed-imports').map((m) => m.message);
}

const TABLE = IMPORT_TABLE;
/** The architecture's code folders: every ordered pair is checked. */
const CODE_FOLDERS = ['shared', 'core', 'sync', 'collector', 'hardware', 'electron', 'host', 'cli', 'renderer'];
const allows = (from: string, to: string) => TABLE[from]!.folders.includes(to) || TABLE[from]!.folders.includes('*');
const importing = (to: string) => `import { x } from '../${to}/module.js';\nexport const y = x;\n`;

const edges = CODE_FOLDERS.flatMap((from) => CODE_FOLDERS.filter((to) => to !== from).map((to) => [from, to] as const));

describe('import boundaries (one table, one rule)', () => {
  it('the table names every folder of the architecture', () => {
    expect(Object.keys(TABLE)).toEqual(expect.arrayContaining([...CODE_FOLDERS, 'tests']));
  });

  it('the design sketch’s "never" rules are in the table', () => {
    const never = [
      ['core', 'collector'],
      ['collector', 'core'],
      ['sync', 'core'],
      ['hardware', 'core'],
      ['sync', 'hardware'],
      ['hardware', 'sync'],
      ['electron', 'sync'],
      ['electron', 'hardware'],
      ['host', 'sync'],
      ['host', 'hardware'],
      ['renderer', 'core'],
    ];
    expect(never.filter(([from, to]) => allows(from!, to!))).toEqual([]);
  });

  it.each(edges.filter(([from, to]) => !allows(from, to)))('%s/ may not import %s/', async (from, to) => {
    expect(await problems(`${from}/X.ts`, importing(to))).toEqual([expect.stringContaining(`${from}/ may not import ${to}/`)]);
  });

  it.each(edges.filter(([from, to]) => allows(from, to)))('%s/ may import %s/', async (from, to) => {
    expect(await problems(`${from}/X.ts`, importing(to))).toEqual([]);
  });

  it.each([
    ['renderer/X.ts', 'serialport'],
    ['renderer/X.ts', 'node:fs'],
    ['renderer/X.ts', 'fs'],
    ['renderer/X.ts', 'electron'],
    ['renderer/X.ts', 'better-sqlite3'],
    ['shared/X.ts', 'node:fs'],
    ['shared/X.ts', 'react'],
    ['core/X.ts', 'electron'],
    ['core/X.ts', 'fastify'],
    ['core/X.ts', 'left-pad'],
    ['host/X.ts', 'electron'],
    ['sync/X.ts', 'better-sqlite3'],
    ['hardware/X.ts', 'fastify'],
  ])('%s may not import the package %s', async (file, name) => {
    const found = await problems(file, `import x from '${name}';\nexport const y = x;\n`);
    expect(found).toEqual([expect.stringContaining(`may not import the package`)]);
  });

  it.each([
    ['electron/X.ts', 'electron'],
    ['hardware/X.ts', '@serialport/binding-mock'],
    ['core/X.ts', 'node:fs'],
    ['renderer/X.ts', 'react-dom/client'],
  ])('%s may import the package %s', async (file, name) => {
    expect(await problems(file, `import x from '${name}';\nexport const y = x;\n`)).toEqual([]);
  });

  it('a folder the table does not name is refused until it is added', async () => {
    expect(
      await problems('plugins/X.ts', "import { contract } from '../shared/contract.js';\nexport const y = contract;\n"),
    ).toEqual([expect.stringContaining('folder "plugins" is not in .eslint/import-table.js')]);
  });

  it('type-only imports and re-exports obey the same table', async () => {
    expect(await problems('core/X.ts', "import type { App } from 'electron';\nexport type Y = App;\n")).not.toEqual([]);
    expect(await problems('sync/X.ts', "export { PultService } from '../core/service.js';\n")).not.toEqual([]);
  });

  it('unit tests beside the code may use the test runner and tests/support, but still not a forbidden folder', async () => {
    expect(
      await problems(
        'core/X.test.ts',
        "import { it } from 'vitest';\nimport { t } from '../tests/support/x.js';\nit(t, () => {});\n",
      ),
    ).toEqual([]);
    expect(
      await problems('renderer/X.test.ts', "import { PultService } from '../core/service.js';\nexport const y = PultService;\n"),
    ).not.toEqual([]);
  });
});
