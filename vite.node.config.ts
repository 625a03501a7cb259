import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };

/**
 * Node-side bundles, one per mode: the `pult` CLI (ESM), the Electron main process (CommonJS) and
 * the preload (CommonJS, one self-contained file: a sandboxed preload can require only 'electron').
 */
const asPatterns = (names: string[]) => names.map((name) => new RegExp(`^${name.replace(/[/.]/g, '\\$&')}(/.*)?$`));
const builtins = builtinModules.flatMap((m) => [m, `node:${m}`]);

/** The Electron main process keeps every dependency external: they ship in node_modules (asar). */
const external = asPatterns(['electron', '@electron/rebuild', ...Object.keys(pkg.dependencies), ...builtins]);

/**
 * The CLI carries its pure-JavaScript dependencies inside its one file: resolving and compiling
 * hundreds of small modules of fastify, zod and pino was a fifth of `pult serve`'s start (460 → 364 ms
 * to its ready line here). Outside stay the native modules (and the serial stream built on its
 * binding) and what is imported only when needed: the spreadsheet, the XML signature, PostgreSQL
 * and the native rebuild.
 */
const cliExternal = asPatterns([
  'better-sqlite3',
  '@serialport/bindings-cpp',
  '@serialport/stream',
  'exceljs',
  'xml-crypto',
  'pg',
  '@electron/rebuild',
  ...builtins,
]);

/** build.mjs builds into a fresh folder and swaps it in whole. */
const OUT = process.env.PULT_BUILD_DIR ?? 'dist';

const TARGETS = {
  cli: { entry: 'cli/pult.ts', outDir: `${OUT}/cli`, format: 'es', file: 'pult.js', external: cliExternal, bundled: true },
  'electron-main': { entry: 'electron/main.ts', outDir: `${OUT}/electron`, format: 'cjs', file: 'main.cjs', external },
  'electron-preload': {
    entry: 'electron/preload.ts',
    outDir: `${OUT}/electron`,
    format: 'cjs',
    file: 'preload.cjs',
    external: ['electron'],
  },
} as const;

export default defineConfig(({ mode }) => {
  const target = TARGETS[mode as keyof typeof TARGETS];
  if (!target) throw new Error(`vite.node.config.ts: unknown mode "${mode}" (use ${Object.keys(TARGETS).join(', ')})`);
  return {
    // An SSR build leaves every package outside unless told otherwise.
    ssr: { noExternal: 'bundled' in target ? true : [] },
    build: {
      ssr: true,
      target: 'node20',
      outDir: target.outDir,
      emptyOutDir: false,
      minify: false,
      rollupOptions: {
        external: [...target.external],
        input: target.entry,
        output: { format: target.format, entryFileNames: target.file },
      },
    },
  };
});
