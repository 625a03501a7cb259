// @ts-check
/**
 * `npm run build`: builds the renderer, the CLI and the Electron bundles into dist.next/, then
 * swaps it in for dist/ with renames. A console is never left without its screens: until the swap
 * the old dist/ serves; a power cut between the two renames leaves dist.old/, which the next
 * build (and bin/pult.js) puts back. The spoken prompts are made here too (packaging/prompts.ts). `--if-stale` (npm start) skips the build when nothing it is
 * made from changed since the last one.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = import.meta.dirname;
const DIST = path.join(ROOT, 'dist');
const NEXT = path.join(ROOT, 'dist.next');
const OLD = path.join(ROOT, 'dist.old');
const STAMP = 'build-stamp.txt';
const SOURCES = ['shared', 'core', 'host', 'cli', 'electron', 'renderer'];
const INPUTS = ['package-lock.json', 'vite.config.ts', 'vite.node.config.ts', 'build.mjs', 'packaging/prompts.ts'];

/** Finishes or undoes a swap that a power cut interrupted. */
function repairSwap() {
  if (!fs.existsSync(DIST) && fs.existsSync(OLD)) fs.renameSync(OLD, DIST);
  fs.rmSync(OLD, { recursive: true, force: true });
}

/** A fingerprint of everything the build reads: paths, sizes and modification times. */
function fingerprint() {
  const hash = crypto.createHash('sha256');
  const visit = (file) => {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) for (const name of fs.readdirSync(file).sort()) visit(path.join(file, name));
    else hash.update(`${path.relative(ROOT, file)} ${stat.size} ${stat.mtimeMs}\n`);
  };
  [...SOURCES, ...INPUTS]
    .map((name) => path.join(ROOT, name))
    .filter((file) => fs.existsSync(file))
    .forEach(visit);
  return hash.digest('hex');
}

function run(args) {
  const result = spawnSync('npx', args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, PULT_BUILD_DIR: 'dist.next' } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

repairSwap();
const stamp = fingerprint();
if (
  process.argv.includes('--if-stale') &&
  fs.existsSync(path.join(DIST, STAMP)) &&
  fs.readFileSync(path.join(DIST, STAMP), 'utf8') === stamp
)
  process.exit(0);

fs.rmSync(NEXT, { recursive: true, force: true });
run(['vite', 'build', '--logLevel', 'warn']);
for (const mode of ['cli', 'electron-main', 'electron-preload'])
  run(['vite', 'build', '-c', 'vite.node.config.ts', '--mode', mode, '--logLevel', 'warn']);
// The spoken prompts, from the locale texts (espeak-ng): shipped beside the screens.
run(['tsx', 'packaging/prompts.ts', path.join('dist.next', 'renderer', 'prompts')]);
fs.writeFileSync(path.join(NEXT, STAMP), stamp);

if (fs.existsSync(DIST)) fs.renameSync(DIST, OLD);
fs.renameSync(NEXT, DIST);
fs.rmSync(OLD, { recursive: true, force: true });
