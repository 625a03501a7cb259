import fs from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { SUPPORTED_LANGUAGES } from './shared/vocabulary.js';

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

/**
 * `virtual:language-names`: each language's name in its own words, read from its locale file
 * (`language.self`) when the page is built. The page carries these few words so the language
 * switch and the language screen can name every offered language on the first screen, while the
 * rest of each language's texts is fetched after it (renderer/i18n.ts).
 */
function languageNames(): Plugin {
  const id = 'virtual:language-names';
  return {
    name: 'pult-language-names',
    resolveId: (source) => (source === id ? `\0${id}` : null),
    load(resolved) {
      if (resolved !== `\0${id}`) return null;
      const names = SUPPORTED_LANGUAGES.map((language) => {
        const file = new URL(`./shared/locales/${language}.json`, import.meta.url);
        this.addWatchFile(file.pathname);
        const texts = JSON.parse(fs.readFileSync(file, 'utf8')) as { language: { self: string } };
        return [language, texts.language.self];
      });
      return `export default ${JSON.stringify(Object.fromEntries(names))};`;
    },
  };
}

/** The renderer: the screens built to dist/renderer (via build.mjs), served by the host or the app:// protocol. */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), languageNames()],
  resolve: { alias: preact },
  build: {
    outDir: `../${process.env.PULT_BUILD_DIR ?? 'dist'}/renderer`,
    emptyOutDir: true,
    target: 'chrome120',
    reportCompressedSize: false,
  },
});
