import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{shared,core,sync,collector,hardware,host,cli,electron,renderer,tests}/**/*.test.{ts,tsx}'],
    exclude: ['tests/e2e/**', 'node_modules/**', 'dist/**'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
