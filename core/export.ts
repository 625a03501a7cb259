import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { ANSWER_COLUMNS, iterateAnswers, type StoredAnswerRow } from './storage/answers.js';
import { openDatabaseReadOnly } from './storage/database.js';
import type { SqliteSetup } from './storage/sqlite.js';

export type ExportFormat = 'csv' | 'jsonl' | 'xlsx';

/** seq, the row's columns, and `created_at` as ISO 8601 beside the raw milliseconds. */
const COLUMNS = ['seq', ...ANSWER_COLUMNS, 'created_at'] as const;
/** Operators' ids are employees' personal data: exported only when `supervisor.exportOperators` is on. */
const columnsOf = (operators: boolean): readonly string[] => COLUMNS.filter((column) => operators || column !== 'operator_id');

type AnswerRecord = Omit<StoredAnswerRow, 'reasons' | 'flags' | 'operator_id'> & {
  operator_id?: string | null;
  created_at: string;
  reasons: string[] | null;
  flags: string[];
};

function toRecord({ operator_id, ...row }: StoredAnswerRow, operators: boolean): AnswerRecord {
  return {
    ...row,
    ...(operators ? { operator_id } : {}),
    created_at: new Date(row.created_at_ms).toISOString(),
    reasons: row.reasons ? (JSON.parse(row.reasons) as string[]) : null,
    flags: JSON.parse(row.flags) as string[],
  };
}

/**
 * A text cell that a spreadsheet would run as a formula (=, +, -, @, or a leading tab/CR) is
 * prefixed with an apostrophe: an applicant's comment must never become a formula in Excel.
 */
export function neutraliseFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** A cell as text: empty for null, lists joined with "|", formulas neutralised. */
function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  return neutraliseFormula(Array.isArray(value) ? value.join('|') : String(value));
}

export type ExportRecord = Record<string, unknown>;

/**
 * Streams records as CSV (RFC 4180, CRLF, UTF-8 BOM so Excel shows Cyrillic, formulas
 * neutralised) or JSONL (one record per line, text exactly as stored). Used by the console's
 * export and by the collector's.
 */
export async function writeRecords(
  records: Iterable<ExportRecord> | AsyncIterable<ExportRecord>,
  columns: readonly string[],
  format: ExportFormat,
  out: Writable,
  headers: Readonly<Record<string, string>> = {},
): Promise<void> {
  if (format === 'xlsx') return writeWorkbook(records, columns, headers, out);
  if (format === 'jsonl') {
    await pipeline(
      Readable.from(
        (async function* () {
          for await (const record of records) yield `${JSON.stringify(record)}\n`;
        })(),
      ),
      out,
    );
    return;
  }
  const rows = (async function* () {
    for await (const record of records) yield columns.map((column) => csvCell(record[column]));
  })();
  const csv = stringify({ bom: true, header: true, columns: [...columns], record_delimiter: '\r\n', quoted_match: /^\s|\s$/ });
  await pipeline(Readable.from(rows), csv, out);
}

/** A cell of the workbook: numbers stay numbers, lists are joined with "|", null is an empty cell. */
const sheetCell = (value: unknown): string | number | null =>
  value === null || value === undefined
    ? null
    : typeof value === 'number'
      ? value
      : Array.isArray(value)
        ? value.join('|')
        : String(value);

/**
 * An .xlsx workbook, streamed row by row (exceljs's writer: a million answers never sit in
 * memory), with readable column names on a frozen first row. Text is written as text: a cell can
 * never become a formula, so nothing needs neutralising here.
 */
async function writeWorkbook(
  records: Iterable<ExportRecord> | AsyncIterable<ExportRecord>,
  columns: readonly string[],
  headers: Readonly<Record<string, string>>,
  out: Writable,
): Promise<void> {
  // Loaded for an export only: exceljs is 28 MiB of a console's memory that every other moment does not need (issue 21).
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(headers.sheet ?? 'answers', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((key) => ({
    key,
    header: headers[key] ?? key,
    width: Math.max(12, (headers[key] ?? key).length + 2),
  }));
  sheet.getRow(1).font = { bold: true };
  for await (const record of records) sheet.addRow(columns.map((column) => sheetCell(record[column]))).commit();
  sheet.commit();
  const finished = new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('error', reject);
  });
  await workbook.commit();
  await finished;
}

export interface ExportOptions {
  dataDir: string;
  format: ExportFormat;
  /** [fromMs, toMs) on the device's clock; either may be left open. */
  fromMs?: number;
  toMs?: number;
  /** One window's answers only (a console's database may hold several). */
  windowId?: string;
  /** Whether the operator column is written (config `supervisor.exportOperators`). */
  operators: boolean;
  /** Readable column names for a workbook: the column → its name, and `sheet`. */
  headers?: Readonly<Record<string, string>>;
  sqlite?: SqliteSetup;
}

/**
 * Streams every stored answer (misuse included, flagged) in seq order. Opens the database
 * read-only, so it works beside a running console. CSV is RFC 4180 with CRLF and a UTF-8 BOM, so
 * Excel shows Cyrillic; JSONL is one answer per line.
 */
export async function exportAnswers(options: ExportOptions, out: Writable): Promise<number> {
  const db = openDatabaseReadOnly(options.dataDir, options.sqlite);
  let answers = 0;
  try {
    const records = (function* () {
      for (const row of iterateAnswers(db, options)) {
        answers++;
        yield toRecord(row, options.operators);
      }
    })();
    await writeRecords(records, columnsOf(options.operators), options.format, out, options.headers);
    return answers;
  } finally {
    db.close();
  }
}

/** The first of `name`, `name (2)`, `name (3)`… not yet in `folder`: an export never overwrites another. */
function freeName(folder: string, name: string): string {
  const dot = name.lastIndexOf('.');
  for (let n = 1; ; n++) {
    const candidate = path.join(folder, n === 1 ? name : `${name.slice(0, dot)} (${n})${name.slice(dot)}`);
    if (!fs.existsSync(candidate)) return candidate;
  }
}

/**
 * The supervisor screen's export: into `folder` (a USB stick, say) under `name`, written to a
 * hidden temporary file, flushed and renamed, so a stick pulled out mid-way never holds a
 * half file under the real name. Read on its own read-only connection: taps go on meanwhile.
 */
export async function exportToFolder(options: ExportOptions, folder: string, name: string) {
  const file = freeName(folder, name);
  const temporary = path.join(folder, `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    const out = fs.createWriteStream(temporary);
    const answers = await exportAnswers(options, out);
    const fd = fs.openSync(temporary, 'r+');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(temporary, file);
    return { file, answers, bytes: fs.statSync(file).size };
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}
