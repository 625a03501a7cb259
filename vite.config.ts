import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The screens are written against React's API and run on Preact's compatibility layer: the same
 * components, hooks, memo, lazy and Suspense, with a renderer of about 10 KiB gzipped instead of
 * React DOM's 60 — the applicant's page is the first thing a cheap terminal loads and parses
 * (issue 21, row d of docs/BENCHMARKS.md). Libraries that import `react` (react-i18next, zustand)
 * get the same layer, so one renderer runs the page.
 */
const preact = [
  { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
  { find: /^react\/jsx-(dev-)?runtime$/, replacement: 'preact/compat/jsx-runtime' },
  { find: /^react-dom$/, replacement: 'preact/compat' },
  { find: /^react$/, replacement: 'preact/compat' },
];

/** The renderer: the screens built to dist/renderer (via build.mjs), served by the host or the app:// protocol. */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  resolve: { alias: preact },
  build: {
    outDir: `../${process.env.PULT_BUILD_DIR ?? 'dist'}/renderer`,
    emptyOutDir: true,
    target: 'chrome120',
    reportCompressedSize: false,
  },
});
