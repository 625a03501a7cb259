// @ts-check
import tseslint from 'typescript-eslint';
import { allowedImports } from './.eslint/allowed-imports.js';
import { TEST_FILES } from './.eslint/import-table.js';

/**
 * Lint rules. The folder boundaries of docs/ARCHITECTURE.md are ONE table of allowed imports,
 * .eslint/import-table.js; the `pult/allowed-imports` rule enforces it for every file, and
 * tests/boundaries.test.ts proves each forbidden edge is refused.
 */
const pult = { rules: { 'allowed-imports': allowedImports } };

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'dist.next/**',
      'dist.old/**',
      'release/**',
      '.electron-native/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    plugins: { pult },
    rules: { 'pult/allowed-imports': 'error' },
  },
  {
    files: TEST_FILES,
    rules: { 'pult/allowed-imports': ['error', { test: true }] },
  },
);
