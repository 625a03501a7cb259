import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** The renderer: React screens built to dist/renderer (via build.mjs), served by the host or the app:// protocol. */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: `../${process.env.PULT_BUILD_DIR ?? 'dist'}/renderer`,
    emptyOutDir: true,
    target: 'chrome120',
    reportCompressedSize: false,
  },
});
