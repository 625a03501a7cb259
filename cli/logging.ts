import { pino, type Logger } from 'pino';
import { deferredLog, type Log } from '../core/log.js';
import { tryLogFiles, type LogFiles } from '../core/log-files.js';
import { APP_VERSION } from '../shared/version.js';

/**
 * Where the `pult` command's log goes. Under systemd (the units set PULT_LOG_FORMAT=json) every
 * line is a pino JSON line on stdout, for the journal, with the core's own events (deliveries,
 * sync failures, settings changed) beside them. Elsewhere people read plain lines on the terminal
 * and, once `toFiles` names a folder, the same lines and the core's events go as JSON lines to
 * rotated files there. Never a token, a PIN or an applicant's text.
 */
export interface ShellLogs {
  /** The core's log. */
  core: Log;
  info(line: string): void;
  warn(line: string): void;
  /** Where there is no journal: from now on, also JSON lines in `dir` (see core/log-files.ts). */
  toFiles(dir: string): void;
  /** The pino logger a fastify server logs its requests to, if any. */
  requests(): Logger | undefined;
  close(): Promise<void>;
}

const BASE = { app: 'pult', version: APP_VERSION };

export function shellLogs(
  env: Record<string, string | undefined>,
  cannotWrite: (dir: string, error: Error) => string,
): ShellLogs {
  const journal = env.PULT_LOG_FORMAT === 'json' ? pino({ base: BASE }) : null;
  const core = deferredLog();
  if (journal) core.attach(journal);
  let files: LogFiles | null = null;
  const plain = (stream: NodeJS.WriteStream, line: string): void => void stream.write(`pult: ${line}\n`);
  return {
    core,
    info: (line) => (journal ? journal.info(line) : (plain(process.stdout, line), core.info({}, line))),
    warn: (line) => (journal ? journal.warn(line) : (plain(process.stderr, line), core.warn({}, line))),
    toFiles(dir) {
      if (journal || files) return;
      files = tryLogFiles(dir, BASE, (error) => plain(process.stderr, cannotWrite(dir, error)));
      if (files) core.attach(files.logger);
    },
    requests: () => journal ?? files?.logger,
    close: async () => void (await files?.close()),
  };
}
