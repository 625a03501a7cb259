import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createCollector } from '../collector/server.js';
import { openPostgresStore, isPostgresUrl } from '../collector/postgres-store.js';
import { openSqliteStore } from '../collector/sqlite-store.js';
import type { CollectorStore, ExportRow } from '../collector/store.js';
import { addAdmin, addDevice, tokenAuthority } from '../collector/tokens.js';

/** `--db`: a SQLite file (the default, `./collector.db`) or a `postgres://` URL. */
export function openStore(db: string): Promise<CollectorStore> {
  return isPostgresUrl(db) ? openPostgresStore(db) : Promise.resolve(openSqliteStore(path.resolve(db)));
}

/** Runs the collector until a signal; resolves with the address it listens on. */
export async function serveCollector(options: { db: string; tokens: string; port: number; host: string }) {
  const store = await openStore(options.db);
  const app = await createCollector({ store, authority: tokenAuthority(path.resolve(options.tokens)) });
  const shutdown = async () => {
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  await app.listen({ port: options.port, host: options.host });
  const address = app.server.address();
  return {
    url: `http://${options.host}:${typeof address === 'object' && address ? address.port : options.port}/`,
    store: store.kind,
  };
}

export const addDeviceToken = (tokens: string, deviceId: string): string => addDevice(path.resolve(tokens), deviceId);
export const addAdminToken = (tokens: string): string => addAdmin(path.resolve(tokens));

const csvCell = (value: unknown): string => {
  const text = value === undefined || value === null ? '' : Array.isArray(value) ? value.join('|') : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};
const CSV_COLUMNS = [
  'device_id',
  'id',
  'seq',
  'response_id',
  'question',
  'value',
  'reasons',
  'comment',
  'locale',
  'source',
  'flags',
  'created_at',
  'corrected_at',
  'received_at',
  'time_flag',
  'batch_id',
];

async function* lines(rows: AsyncIterable<ExportRow>, format: 'csv' | 'jsonl'): AsyncGenerator<string> {
  if (format === 'csv') yield `\uFEFF${CSV_COLUMNS.join(',')}\r\n`;
  for await (const row of rows) {
    const { answer } = row;
    if (format === 'jsonl') {
      yield `${JSON.stringify({ deviceId: row.deviceId, ...answer, correctedAt: row.correctedAt, receivedAt: row.receivedAt, timeFlag: row.timeFlag, batchId: row.batchId })}\n`;
      continue;
    }
    const cells = [
      row.deviceId,
      answer.id,
      answer.seq,
      answer.responseId,
      answer.question,
      'value' in answer ? answer.value : '',
      'reasons' in answer ? answer.reasons : '',
      'comment' in answer ? answer.comment : '',
      answer.locale,
      answer.source,
      answer.flags,
      answer.createdAt,
      row.correctedAt,
      row.receivedAt,
      row.timeFlag,
      row.batchId,
    ];
    yield `${cells.map(csvCell).join(',')}\r\n`;
  }
}

/** Every answer the collector holds, one per (device, answer id). */
export async function exportCollector(db: string, format: 'csv' | 'jsonl', out: string | undefined): Promise<void> {
  const store = await openStore(db);
  try {
    await pipeline(Readable.from(lines(store.exportRows(), format)), out ? fs.createWriteStream(out) : process.stdout);
  } finally {
    await store.close();
  }
}
