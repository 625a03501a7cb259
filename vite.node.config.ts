import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };

/**
 * Node-side bundles: the `pult` CLI (ESM) and the Electron main + preload (CommonJS; a sandboxed
 * preload must be one file). Dependencies stay external: they ship in node_modules (asar).
 */
const external = [
  'electron',
  ...Object.keys(pkg.dependencies),
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
].map((name) => new RegExp(`^${name.replace(/[/.]/g, '\\$&')}(/.*)?$`));

export default defineConfig(({ mode }) => {
  const target = mode === 'electron' ? 'electron' : 'cli';
  return {
  build: {
    ssr: true,
    target: 'node20',
    outDir: target === 'electron' ? 'dist/electron' : 'dist/cli',
    emptyOutDir: true,
    minify: false,
    rollupOptions: {
      external,
      input: target === 'electron' ? { main: 'electron/main.ts', preload: 'electron/preload.ts' } : { pult: 'cli/pult.ts' },
      output: target === 'electron' ? { format: 'cjs', entryFileNames: '[name].cjs' } : { format: 'es', entryFileNames: '[name].js' },
    },
  },
  };
});
