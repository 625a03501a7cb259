#!/usr/bin/env node
// The `pult` command. The TypeScript sources are built into dist/ by `npm run build` (build.mjs,
// which `npm ci` runs through the "prepare" script).
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const path = (relative) => fileURLToPath(new URL(relative, import.meta.url));
const entry = path('../dist/cli/pult.js');
// A build swap cut short by a power cut left the previous build as dist.old/: put it back.
if (!existsSync(path('../dist')) && existsSync(path('../dist.old'))) renameSync(path('../dist.old'), path('../dist'));
if (!existsSync(entry)) {
  // Nothing is built, so not even the text module: read the message straight from its locale file.
  const { PULT_LANG, LC_ALL, LC_MESSAGES, LANG } = process.env;
  const locale = [PULT_LANG, LC_ALL, LC_MESSAGES, LANG].find((value) => value && value !== 'C') ?? '';
  const texts = JSON.parse(readFileSync(path(`../shared/admin/locales/${locale.startsWith('ru') ? 'ru' : 'en'}.json`), 'utf8'));
  process.stderr.write(`pult: ${texts.errors.notBuilt}\n`);
  process.exit(1);
}
await import(entry);
