import { countersTable } from './storage/counters.js';
import { openDatabaseReadOnly } from './storage/database.js';
import { metaTable } from './storage/meta.js';
import { outboxTable } from './storage/outbox.js';
import type { SqliteSetup } from './storage/sqlite.js';

export interface ConsoleReport {
  deviceId: string | null;
  dataDir: string;
  answers: number;
  outboxDepth: number;
  oldestUnsentAt: number | null;
  lastAckAt: number | null;
  quarantine: number;
  /** The collector the running console uses (as it recorded at start); never its token. */
  syncEndpoint: string | null;
}

/**
 * What IT staff need to know of a console, read through the storage modules on a read-only
 * connection, so it works beside the running console (`pult status`).
 */
export function readConsoleReport(dataDir: string, sqlite: SqliteSetup = {}): ConsoleReport {
  const db = openDatabaseReadOnly(dataDir, sqlite);
  try {
    const meta = metaTable(db);
    const counts = countersTable(db).read();
    const lastAck = meta.read('sync_last_ack_at_ms');
    return {
      deviceId: meta.read('device_id'),
      dataDir,
      answers: counts.answers,
      outboxDepth: counts.outbox,
      oldestUnsentAt: outboxTable(db).oldestUnsentAt(),
      lastAckAt: lastAck === null ? null : Number(lastAck),
      quarantine: counts.quarantine,
      syncEndpoint: meta.read('sync_endpoint') || null,
    };
  } finally {
    db.close();
  }
}
