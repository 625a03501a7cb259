#!/usr/bin/env node
// The `pult` command. The TypeScript sources are built into dist/ by `npm run build`
// (which `npm ci` runs through the "prepare" script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/cli/pult.js', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write('pult: not built yet; run "npm run build" in the Pult folder first\n');
  process.exit(1);
}
await import(entry);
