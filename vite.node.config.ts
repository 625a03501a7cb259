import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };

/**
 * Node-side bundles, one per mode: the `pult` CLI (ESM), the Electron main process (CommonJS) and
 * the preload (CommonJS, one self-contained file: a sandboxed preload can require only 'electron').
 * Dependencies stay external: they ship in node_modules (asar).
 */
const external = [
  'electron',
  '@electron/rebuild',
  ...Object.keys(pkg.dependencies),
  ...builtinModules.flatMap((m) => [m, `node:${m}`]),
].map((name) => new RegExp(`^${name.replace(/[/.]/g, '\\$&')}(/.*)?$`));

/** build.mjs builds into a fresh folder and swaps it in whole. */
const OUT = process.env.PULT_BUILD_DIR ?? 'dist';

const TARGETS = {
  cli: { entry: 'cli/pult.ts', outDir: `${OUT}/cli`, format: 'es', file: 'pult.js', external },
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
