// @ts-check
import tseslint from 'typescript-eslint';

/**
 * Lint rules, including the import boundaries of docs/ARCHITECTURE.md: what each folder may
 * import. A forbidden import fails `npm test`; tests/boundaries.test.ts checks the same graph.
 */
const node = (name) => [name, `node:${name}`];
const NODE_BUILTINS = [
  'fs',
  'path',
  'os',
  'child_process',
  'net',
  'http',
  'https',
  'stream',
  'events',
  'util',
  'url',
  'crypto',
  'worker_threads',
  'module',
].flatMap(node);

// Tests next to the code they test may use Node and the test helpers in tests/.
const TESTS = ['**/*.test.ts', '**/*.test.tsx'];

const forbid = (message, ...patterns) => ({ group: patterns, message });

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', '.electron-native/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
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
    files: ['shared/**/*.ts'],
    ignores: TESTS,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...NODE_BUILTINS, 'electron', 'better-sqlite3', 'react'].map((name) => ({
            name,
            message: 'shared/ is pure: no side effects, no Node, no Electron, no DOM',
          })),
          patterns: [
            forbid(
              'shared/ imports nothing of the project but shared/',
              '**/core/**',
              '**/host/**',
              '**/electron/**',
              '**/renderer/**',
              '**/cli/**',
            ),
            forbid('shared/ is pure: no Node built-ins', 'node:*'),
          ],
        },
      ],
    },
  },
  {
    files: ['core/**/*.ts'],
    ignores: TESTS,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'core/ knows nothing of Electron' }],
          patterns: [
            forbid(
              'core/ may import shared/ only (and later sync/, hardware/)',
              '**/host/**',
              '**/electron/**',
              '**/renderer/**',
              '**/cli/**',
            ),
          ],
        },
      ],
    },
  },
  {
    files: ['host/**/*.ts'],
    ignores: TESTS,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'only electron/ may import electron' }],
          patterns: [forbid('host/ may import core/ and shared/', '**/electron/**', '**/renderer/**', '**/cli/**')],
        },
      ],
    },
  },
  {
    files: ['cli/**/*.ts'],
    ignores: TESTS,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'only electron/ may import electron' }],
          patterns: [forbid('cli/ may import core/, host/ and shared/', '**/electron/**', '**/renderer/**')],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: TESTS,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [forbid('electron/ may import core/ and shared/', '**/host/**', '**/renderer/**', '**/cli/**')],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: TESTS,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...NODE_BUILTINS, 'electron', 'better-sqlite3', 'fastify'].map((name) => ({
            name,
            message: 'the renderer talks only to PultApi',
          })),
          patterns: [
            forbid('renderer/ may import shared/ only', '**/core/**', '**/host/**', '**/electron/**', '**/cli/**'),
            forbid('the renderer runs in a browser: no Node built-ins', 'node:*'),
          ],
        },
      ],
    },
  },
);
