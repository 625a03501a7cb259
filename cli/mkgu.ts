import { setTimeout as sleep } from 'node:timers/promises';
import type { PultConfig } from '../shared/config.js';
import type { StorageNotice } from '../shared/contract.js';
import type { AdminText } from '../shared/admin/text.js';
import { PultFailure } from '../core/errors.js';
import { formInForce, mkguSender, quietMsOf } from '../core/mkgu.js';
import { openDatabaseReadOnly } from '../core/storage/database.js';
import { mkguPackets, type MkguPacketRow } from '../core/storage/mkgu-outbox.js';
import { Storage } from '../core/storage/storage.js';
import { silentLog } from '../core/log.js';

/**
 * `pult mkgu send` and `pult mkgu status` (docs/mkgu.md): the console's packets sent by hand —
 * while the console is stopped, since one process owns a data directory — and listed beside it.
 */
type Say = (line: string) => void;

const clockTime = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

/** Packs and sends until every packet is final, waiting out backoff and Retry-After for at most `forMs`. */
export async function sendPackets(options: {
  dataDir: string;
  config: PultConfig;
  forMs: number;
  say: Say;
  t: AdminText;
  onNotice: (notice: StorageNotice) => void;
}): Promise<{ pending: number; nextAtMs: number | null }> {
  const { config, say, t } = options;
  const settings = config.mkgu;
  if (!settings) throw new PultFailure('mkguNotConfigured');
  if (!settings.endpoint) throw new PultFailure('mkguNoEndpoint');
  const form = formInForce(options.dataDir);
  const storage = await Storage.open({
    dataDir: options.dataDir,
    timeZone: config.timeZone,
    sqlite: {},
    wallMs: Date.now,
    onNotice: options.onNotice,
  });
  try {
    const sender = mkguSender({
      storage,
      settings: { ...settings, endpoint: settings.endpoint },
      form,
      timeZone: config.timeZone,
      quietMs: quietMsOf(config.timeouts),
      wallMs: Date.now,
      fetch,
      log: silentLog,
      onAttempt: (id, attempt) =>
        say(
          attempt.outcome === 'retry'
            ? t('mkgu.retry', { id, error: attempt.error, at: clockTime(attempt.nextAtMs) })
            : t(`mkgu.${attempt.outcome}`, { id, status: attempt.replyStatus }),
        ),
    });
    const deadline = Date.now() + options.forMs;
    for (;;) {
      const result = await sender.pass();
      if (result.done) return { pending: 0, nextAtMs: null };
      if (result.waitUntil > deadline) {
        return { pending: await storage.mkgu.pending(), nextAtMs: result.waitUntil };
      }
      await sleep(Math.max(0, result.waitUntil - Date.now()));
    }
  } finally {
    await storage.close();
  }
}

/** `pult mkgu status`: the newest packets, each with its forms, status, attempts and the server's last reply. */
export function packetStatus(dataDir: string): MkguPacketRow[] {
  const db = openDatabaseReadOnly(dataDir);
  try {
    return mkguPackets(db, 200);
  } finally {
    db.close();
  }
}

export function describePackets(rows: readonly MkguPacketRow[], t: AdminText): string[] {
  if (rows.length === 0) return [t('mkgu.none')];
  return rows.map((row) =>
    t('mkgu.packet', {
      id: row.id,
      created: clockTime(row.createdAtMs),
      forms: row.forms,
      status: t(`mkgu.status.${row.status}`),
      attempts: row.attempts,
      reply:
        row.replyStatus === null
          ? (row.lastError ?? '—')
          : `HTTP ${row.replyStatus}${row.lastError ? ` (${row.lastError})` : ''}`,
    }),
  );
}
