// @ts-check
/**
 * THE table of allowed imports (../shared/DESIGN.md): for each top-level folder, which folders of
 * the project and which packages its code may import. Everything not named here is refused by
 * the lint rule in ./allowed-imports.js — a new folder or a new package is an error until this
 * table names it. tests/boundaries.test.ts proves every forbidden edge is refused.
 *
 * `node` stands for Node's built-in modules (`node:fs`, `fs`, …).
 */

/** What every folder may use: its own files and the pure shared/ folder. */
const own = (folder) => [folder, 'shared'];

export const IMPORT_TABLE = {
  shared: {
    about: 'domain types, zod schemas, the PultApi contract, wire schemas, the flow machine, metrics, locales: no side effects',
    folders: ['shared'],
    packages: ['zod', 'i18next'],
  },
  core: {
    about: 'PultService, storage, stats; knows nothing of Electron or the DOM',
    folders: [...own('core'), 'sync', 'hardware'],
    packages: [
      'node',
      'better-sqlite3',
      'uuid',
      'zod',
      'env-paths',
      'csv-stringify',
      'exceljs',
      '@xmldom/xmldom',
      'xml-crypto',
      'pino',
      'rotating-file-stream',
    ],
  },
  sync: {
    about: "the console's uploader, given an outbox port, fetch and a clock",
    folders: own('sync'),
    packages: ['zod'],
  },
  collector: {
    about: 'the central server: ingest, dedup, devices, tokens, the fleet (page, alerts), its own storage',
    folders: own('collector'),
    packages: ['node', 'fastify', '@fastify/cookie', '@fastify/formbody', 'escape-html', 'zod', 'better-sqlite3', 'pg', 'uuid'],
  },
  hardware: {
    about: 'serial discovery, stream parsers, box drivers, box simulator, given a port binding',
    folders: own('hardware'),
    packages: ['node', '@serialport/*', 'zod'],
  },
  electron: {
    about: 'main process (window, lockdown, crash recovery), preload, IPC binding',
    folders: [...own('electron'), 'core'],
    packages: ['node', 'electron'],
  },
  host: {
    about: 'fastify: the static renderer and the contract over HTTP, a WebSocket for calls, SSE for events',
    folders: [...own('host'), 'core'],
    packages: ['node', 'fastify', '@fastify/static', '@fastify/websocket', 'ws', 'zod'],
  },
  cli: {
    about: 'the `pult` command, and the local ИАС МКГУ sandbox it runs (fastify, reading packets with @xmldom/xmldom)',
    folders: [...own('cli'), 'core', 'host', 'collector', 'hardware'],
    packages: ['node', '@electron/rebuild', 'pino', 'fastify', '@xmldom/xmldom'],
  },
  renderer: {
    about:
      'React screens (run on the Preact compatibility layer, vite.config.ts), stores, i18n setup, the lazily loaded supervisor screen (uPlot charts): talks only to PultApi',
    folders: own('renderer'),
    packages: ['react', 'react-dom', 'react-i18next', 'i18next', 'zustand', 'uuid', 'zod', 'uplot', 'virtual:language-names'],
  },
  tests: {
    about: 'end-to-end, fault injection, benchmarks, test support',
    folders: ['*'],
    packages: ['*'],
  },
  '(root)': {
    about: 'build, test and lint configuration files at the top level',
    folders: ['*'],
    packages: ['*'],
  },
  bin: {
    about: 'the package bin: starts the built CLI in dist/',
    folders: ['bin'],
    packages: ['node'],
  },
  packaging: {
    about:
      'the Debian package (its build, maintainer scripts, helper scripts), systemd units, and the spoken prompts made at build time (prompts.ts: the locale texts from shared/, spoken by espeak-ng)',
    folders: ['packaging', 'shared'],
    packages: ['node', 'i18next'],
  },
  '.eslint': {
    about: 'this table and the lint rule made from it',
    folders: ['.eslint'],
    packages: ['node'],
  },
};

/**
 * Unit tests beside the code they test may also use the test runner, Node and tests/support;
 * what they test they import under their folder's own rules.
 */
export const TEST_FILES = ['**/*.test.ts', '**/*.test.tsx'];
export const TEST_EXTRAS = {
  folders: ['tests'],
  packages: ['node', 'vitest', 'fast-check', 'better-sqlite3', 'csv-parse', 'eslint', 'js-yaml', 'ajv', '@electron/asar'],
};
