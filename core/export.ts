import { stringify } from 'csv-stringify';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type Database from 'better-sqlite3';
import { EXIT, OperatorError } from './operator-error.js';
import { iterateAnswers, type StoredAnswerRow } from './storage/answer-store.js';

export type ExportFormat = 'csv' | 'jsonl';

const COLUMNS = [
  'seq',
  'id',
  'response_id',
  'question',
  'value',
  'reasons',
  'comment',
  'locale',
  'source',
  'flags',
  'office_id',
  'window_id',
  'operator_id',
  'ticket',
  'created_at',
  'created_at_ms',
  'mono_ms',
  'boot_id',
] as const;

type ExportRecord = Omit<StoredAnswerRow, 'reasons' | 'flags'> & {
  created_at: string;
  reasons: string[] | null;
  flags: string[];
};

function toRecord(row: StoredAnswerRow): ExportRecord {
  return {
    ...row,
    created_at: new Date(row.created_at_ms).toISOString(),
    reasons: row.reasons ? (JSON.parse(row.reasons) as string[]) : null,
    flags: JSON.parse(row.flags) as string[],
  };
}

function* csvRows(rows: Iterable<StoredAnswerRow>): Generator<string[]> {
  for (const row of rows) {
    const record = toRecord(row);
    yield COLUMNS.map((column) => {
      const value = record[column];
      if (value === null || value === undefined) return '';
      return Array.isArray(value) ? value.join('|') : String(value);
    });
  }
}

function* jsonLines(rows: Iterable<StoredAnswerRow>): Generator<string> {
  for (const row of rows) yield `${JSON.stringify(toRecord(row))}\n`;
}

/**
 * Streams every stored answer (misuse included, flagged) in seq order. CSV is RFC 4180 with CRLF
 * and a UTF-8 BOM, so Excel shows Cyrillic; JSONL is one answer per line.
 */
export async function exportAnswers(
  db: Database.Database,
  options: { format: ExportFormat; fromMs?: number; toMs?: number },
  out: Writable,
): Promise<void> {
  const rows = iterateAnswers(db, options);
  if (options.format === 'jsonl') {
    await pipeline(Readable.from(jsonLines(rows)), out);
    return;
  }
  const csv = stringify({ bom: true, header: true, columns: [...COLUMNS], record_delimiter: '\r\n', quoted_match: /^\s|\s$/ });
  await pipeline(Readable.from(csvRows(rows)), csv, out);
}

/**
 * "2026-11-25" → local midnight; any other ISO 8601 text → that instant. With `endOfDay`, a
 * date-only value means the end of that day, so `--to 2026-11-25` includes the whole day.
 */
export function parseTimeBound(option: string, text: string, endOfDay: boolean): number {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const date = new Date(dateOnly ? `${text}T00:00:00` : text);
  if (Number.isNaN(date.getTime())) throw new OperatorError('badDate', { option, text }, EXIT.badInput);
  if (dateOnly && endOfDay) date.setDate(date.getDate() + 1);
  return date.getTime();
}
