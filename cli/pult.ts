import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { ConfigError, loadConfigFile, resolveConfig } from '../core/config.node.js';
import { defaultDataDir } from '../core/data-dir.js';
import { exportAnswers, parseTimeBound, type ExportFormat } from '../core/export.js';
import { PultService } from '../core/service.js';
import { openDatabaseReadOnly } from '../core/storage/database.js';
import { DataDirInUseError } from '../core/storage/instance-lock.js';
import { DatabaseFromFutureError } from '../core/storage/migrations.js';
import { createHost } from '../host/server.js';
import { electronBinary, electronSqliteBinding } from './electron-dev.js';

/** Exit codes, documented in README: scripts on hundreds of terminals depend on them. */
export const EXIT = { ok: 0, failure: 1, badInput: 2, dataDirInUse: 3, databaseFromFuture: 4 } as const;

const USAGE = `usage:
  pult start  [--config F] [--data-dir D] [--port 7300]   the console: Electron kiosk, or the browser host without it
  pult serve  [--config F] [--data-dir D] [--port 7300] [--host 127.0.0.1]
  pult export [--data-dir D] --format csv|jsonl [--from DATE] [--to DATE] [--out FILE]
  pult config validate FILE`;

class UsageError extends Error {}

const distDir = path.dirname(fileURLToPath(import.meta.url));
const RENDERER_DIR = path.resolve(distDir, '../renderer');
const ELECTRON_MAIN = path.resolve(distDir, '../electron/main.cjs');
const PROJECT_ROOT = path.resolve(distDir, '../..');

const log = (line: string): void => void process.stdout.write(`${line}\n`);
const logError = (line: string): void => void process.stderr.write(`pult: ${line}\n`);

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

const serveOptions = {
  config: { type: 'string' },
  'data-dir': { type: 'string' },
  port: { type: 'string', default: '7300' },
  host: { type: 'string', default: '127.0.0.1' },
} as const;

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: "${text}" is not a port number`);
  return port;
}

async function serve(args: string[]): Promise<number> {
  const { values } = parse(args, serveOptions);
  const dataDir = path.resolve((values['data-dir'] as string | undefined) ?? defaultDataDir());
  const { config, source } = resolveConfig(values.config as string | undefined, dataDir);
  const port = parsePort(values.port as string);
  const service = PultService.open({ dataDir, config });
  const app = await createHost({ service, rendererDir: RENDERER_DIR });
  const shutdown = async (): Promise<void> => {
    await app.close();
    service.close();
    process.exit(EXIT.ok);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  await app.listen({ port, host: values.host as string });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = (values.host as string).includes(':') ? `[${values.host as string}]` : (values.host as string);
  if (!source) log('pult: no config file given; using the built-in demo config (see README)');
  const notice = service.getStatus().storageNotice;
  if (notice) logError(`the database failed its integrity check and was moved to ${notice.movedTo}; a fresh one was started`);
  log(`pult: data directory ${dataDir}`);
  log(`pult: console ready at http://${shownHost}:${actualPort}/`);
  return new Promise<number>(() => {}); // runs until a signal
}

async function start(args: string[]): Promise<number> {
  const binary = electronBinary();
  if (!binary) {
    log(
      'pult: the Electron runtime is not installed (get it with "npx install-electron"); serving the console in the browser instead',
    );
    return serve(args);
  }
  const sqliteBinding = await electronSqliteBinding(PROJECT_ROOT, log);
  const child = spawn(binary, [ELECTRON_MAIN, ...args], {
    stdio: 'inherit',
    env: { ...process.env, PULT_SQLITE_BINDING: sqliteBinding },
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? EXIT.failure)));
}

async function exportCommand(args: string[]): Promise<number> {
  const { values } = parse(args, {
    'data-dir': { type: 'string' },
    format: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    out: { type: 'string' },
  });
  const format = values.format as string | undefined;
  if (format !== 'csv' && format !== 'jsonl') throw new UsageError('--format must be "csv" or "jsonl"');
  let fromMs: number | undefined;
  let toMs: number | undefined;
  try {
    fromMs = values.from ? parseTimeBound(values.from as string, false) : undefined;
    toMs = values.to ? parseTimeBound(values.to as string, true) : undefined;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const dataDir = path.resolve((values['data-dir'] as string | undefined) ?? defaultDataDir());
  const db = openDatabaseReadOnly(dataDir);
  try {
    const out = values.out ? fs.createWriteStream(values.out as string) : process.stdout;
    await exportAnswers(db, { format: format as ExportFormat, fromMs, toMs }, out);
  } finally {
    db.close();
  }
  return EXIT.ok;
}

function validateConfig(args: string[]): number {
  const { positionals } = parse(args, {});
  if (positionals[0] !== 'validate' || !positionals[1]) throw new UsageError('expected: pult config validate FILE');
  loadConfigFile(positionals[1]);
  log(`${positionals[1]}: valid`);
  return EXIT.ok;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'start':
        return await start(rest);
      case 'serve':
        return await serve(rest);
      case 'export':
        return await exportCommand(rest);
      case 'config':
        return validateConfig(rest);
      case undefined:
      case '--help':
      case 'help':
        log(USAGE);
        return command ? EXIT.ok : EXIT.badInput;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      logError(`${error.message}\n${USAGE}`);
      return EXIT.badInput;
    }
    if (error instanceof ConfigError) {
      logError(error.message);
      return EXIT.badInput;
    }
    if (error instanceof DataDirInUseError) {
      logError(error.message);
      return EXIT.dataDirInUse;
    }
    if (error instanceof DatabaseFromFutureError) {
      logError(error.message);
      return EXIT.databaseFromFuture;
    }
    logError(error instanceof Error ? error.message : String(error));
    return EXIT.failure;
  }
}

process.exitCode = await main(process.argv.slice(2));
