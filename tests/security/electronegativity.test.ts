import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };

/**
 * Runs @doyensec/electronegativity over the project (the Electron shell and the renderer's HTML)
 * and requires every finding to be explained in docs/SECURITY.md, by check id and file.
 */
const root = path.resolve(__dirname, '../..');
const ELECTRON_VERSION = pkg.devDependencies.electron;

function findings(): { issue: string; filename: string }[] {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pult-eneg-')), 'findings.csv');
  const run = spawnSync(
    process.execPath,
    [
      require.resolve('@doyensec/electronegativity/dist/index.js'),
      '-i',
      root,
      '-r',
      '-e',
      ELECTRON_VERSION,
      '-o',
      out,
      '-v',
      'false',
    ],
    { cwd: root, encoding: 'utf8', timeout: 240_000 },
  );
  expect(run.status, run.stderr).toBe(0);
  const rows = parseCsv(fs.readFileSync(out, 'utf8'), { columns: true, trim: true }) as Record<string, string>[];
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return rows.map((row) => ({ issue: row.issue!, filename: row.filename! }));
}

describe('electronegativity', () => {
  it('reports nothing that docs/SECURITY.md does not explain', () => {
    const explained = fs.readFileSync(path.join(root, 'docs/SECURITY.md'), 'utf8');
    const result = findings();
    // Proof that it really analysed the shell: the preload is always reported for review.
    expect(result.map((f) => f.issue)).toContain('PRELOAD_JS_CHECK');
    const unexplained = result.filter(({ issue, filename }) => !explained.includes(`| ${issue} | ${filename} |`));
    expect(unexplained).toEqual([]);
  }, 300_000);
});
