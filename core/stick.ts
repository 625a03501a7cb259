import crypto from 'node:crypto';
import type { PultConfig } from '../shared/config.js';
import { STICK_FORMAT, type StickBundle } from '../shared/wire.js';
import { APP_VERSION } from '../shared/version.js';
import { newId } from './ids.js';
import { replaceFile } from './files.js';
import { openDatabaseReadOnly } from './storage/database.js';
import { metaTable } from './storage/meta.js';
import { outboxTable } from './storage/outbox.js';
import type { SqliteSetup } from './storage/sqlite.js';
import { toWireAnswer } from './storage/sync-outbox.js';

/** The checksum a stick bundle carries: SHA-256 of its answers' JSON text as written. */
export const stickChecksum = (answersJson: string): string => crypto.createHash('sha256').update(answersJson).digest('hex');

/**
 * `pult export --bundle FILE`: every answer not yet acknowledged, as the wire carries it, into one
 * file written by rename (a pulled stick leaves the old file or the new one), beside a running
 * console (read-only connection). The answers stay in the outbox: they leave it only when the
 * collector acknowledges them — online later, where the imported ones come back as duplicates.
 */
export function writeStickBundle(options: {
  dataDir: string;
  config: Pick<PultConfig, 'office' | 'window'>;
  file: string;
  nowMs: number;
  sqlite?: SqliteSetup;
}): Pick<StickBundle, 'count' | 'seqFrom' | 'seqTo'> | null {
  const db = openDatabaseReadOnly(options.dataDir, options.sqlite);
  try {
    const deviceId = metaTable(db).read('device_id');
    const rows = outboxTable(db).unsent();
    if (!deviceId || rows.length === 0) return null;
    const answers = rows.map(toWireAnswer);
    const answersJson = JSON.stringify(answers);
    const { office, window } = options.config;
    const head: Omit<StickBundle, 'answers'> = {
      format: STICK_FORMAT,
      device: { id: deviceId, office: office.id, window: window.id, appVersion: APP_VERSION, bootId: newId() },
      createdAt: Math.round(options.nowMs),
      seqFrom: rows[0]!.seq,
      seqTo: rows.at(-1)!.seq,
      count: rows.length,
      sha256: stickChecksum(answersJson),
    };
    // The answers' text is written exactly as checksummed.
    replaceFile(options.file, `${JSON.stringify(head).slice(0, -1)},"answers":${answersJson}}\n`);
    return { count: head.count, seqFrom: head.seqFrom, seqTo: head.seqTo };
  } finally {
    db.close();
  }
}
