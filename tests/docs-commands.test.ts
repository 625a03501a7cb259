import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPult } from './support/host-process.js';

/**
 * A newcomer copies commands from the README and docs: each `pult …` (or `npx pult …`) they show is
 * a command that answers --help, and each `npm run X` is a script of package.json.
 */
const root = path.resolve(__dirname, '..');
const documents = [
  'README.md',
  ...fs
    .readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** The text inside code: fenced blocks and `inline` spans, where commands are shown. */
function codeOf(markdown: string): string {
  const fenced = [...markdown.matchAll(/```[^\n]*\n([\s\S]*?)```/g)].map((m) => m[1]);
  const inline = [...markdown.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
  return [...fenced, ...inline].join('\n');
}

const shown = documents.map((file) => ({ file, code: codeOf(fs.readFileSync(path.join(root, file), 'utf8')) }));
const pultCommands = [
  ...new Set(shown.flatMap(({ code }) => [...code.matchAll(/(?:^|[\s(|&;])(?:npx )?pult ([a-z][a-z-]*)/gm)].map((m) => m[1]!))),
];
const npmScripts = [...new Set(shown.flatMap(({ code }) => [...code.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!)))];

describe('the commands the README and docs show', () => {
  it('finds some (the extraction itself works)', () => {
    expect(pultCommands).toEqual(expect.arrayContaining(['serve', 'doctor', 'export', 'collector']));
    expect(npmScripts).toEqual(expect.arrayContaining(['package:deb', 'bench', 'electron:install']));
  });

  it('every npm run X is a script of package.json', () => {
    const scripts = Object.keys(
      (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: object }).scripts,
    );
    expect(npmScripts.filter((script) => !scripts.includes(script))).toEqual([]);
  });

  it('every pult COMMAND answers --help with exit 0', async () => {
    const failing: string[] = [];
    for (const command of pultCommands) if ((await runPult([command, '--help'])).code !== 0) failing.push(command);
    expect(failing).toEqual([]);
  }, 120_000);
});
