import fs from 'node:fs';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { createStream, type Options } from 'rotating-file-stream';

/**
 * Where there is no journal (`pult start`, `pult serve` by hand, the Windows kiosk) the log is
 * JSON lines in `<data-dir>/logs/pult.log`. It is rotated at midnight (and on the first start of
 * a new day, for consoles switched off at night) and whenever it passes 10 MB; rotated files are
 * gzipped and only the newest 14 are kept, 100 MB at most — so a console's logs cover about its
 * last two weeks and never fill its disk.
 */
export type LogRotation = Pick<Options, 'size' | 'interval' | 'maxFiles' | 'maxSize'>;
export const LOG_ROTATION = { size: '10M', interval: '1d', maxFiles: 14, maxSize: '100M' } as const satisfies LogRotation;

export const LOG_FILE = 'pult.log';
export const logsDir = (dataDir: string): string => path.join(dataDir, 'logs');

const pad = (n: number): string => String(n).padStart(2, '0');
/** pult.log now; pult-2026-12-03-1.log.gz once rotated and gzipped (the day it covers, then the n-th of that day). */
const fileName = (time: number | Date | null, index?: number): string => {
  if (!time) return LOG_FILE;
  const day = new Date(time);
  return `pult-${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}-${index ?? 1}.log.gz`;
};

export interface LogFiles {
  logger: Logger;
  /** Writes what is buffered and closes the file (before the process exits). */
  close(): Promise<void>;
}

/**
 * Opens the log files in `dir`. A write that fails later (disk full, the folder removed) is said
 * once through `onError` and the console goes on: a log must never stop it taking answers.
 */
export function openLogFiles(
  dir: string,
  base: Record<string, unknown>,
  onError: (error: Error) => void,
  rotation: LogRotation = LOG_ROTATION,
): LogFiles {
  fs.mkdirSync(dir, { recursive: true, mode: 0o750 });
  const stream = createStream(fileName, {
    path: dir,
    ...rotation,
    intervalBoundary: true,
    initialRotation: true,
    compress: 'gzip',
    history: '.history',
    mode: 0o640,
  });
  let told = false;
  const tell = (error: Error): void => {
    if (!told) onError(error);
    told = true;
  };
  stream.on('error', tell);
  stream.on('warning', tell);
  return {
    logger: pino({ base }, stream),
    close: () => new Promise((resolve) => stream.end(() => resolve())),
  };
}

/**
 * A shell's way to its log files: opened, or — a folder that cannot be made or written — said once
 * through `cannotWrite` and null, so the console goes on taking answers with its log elsewhere.
 */
export function tryLogFiles(dir: string, base: Record<string, unknown>, cannotWrite: (error: Error) => void): LogFiles | null {
  try {
    return openLogFiles(dir, base, cannotWrite);
  } catch (error) {
    cannotWrite(error as Error);
    return null;
  }
}
