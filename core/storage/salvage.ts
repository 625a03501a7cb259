import path from 'node:path';
import type Database from 'better-sqlite3';
import { ANSWER_COLUMNS, answerColumnsIn, AnswerRowSchema, type AnswerRow } from './answers.js';
import { AuditEntrySchema, type AuditEntry } from '../../shared/supervisor.js';
import { removeDatabaseFiles } from './database.js';
import { rebuiltHeaderCopies } from './header.js';
import { openSqlite, type SqliteSetup } from './sqlite.js';

const CHUNK = 1_000;

/** A read from a damaged file: its result, or `fallback` when the page it needs is broken. */
const tryAll = <T>(read: () => T, fallback: T): T => {
  try {
    return read();
  } catch {
    return fallback;
  }
};
/** After the last seq found, keep looking this many empty chunks further (a damaged max(seq)). */
const EMPTY_CHUNKS_BEYOND = 50;

export interface Salvage {
  rows: Iterable<AnswerRow>;
  /** Ranges of seq that could not be read at all, in rows. Known only once `rows` was consumed. */
  unreadable(): number;
  /** The settings audit log's entries that can still be read, oldest first. */
  audit(): AuditEntry[];
  /** The ИАС МКГУ packets and which forms they carry, as far as they can be read (a form sent is not packed again). */
  packets(): SalvagedPackets;
  close(): void;
}

export interface SalvagedPackets {
  packets: Record<string, unknown>[];
  forms: { response_id: string; packet_id: string }[];
}

/**
 * Reads every answer that can still be read from a damaged database file. Ranges of seq are read
 * in chunks; a chunk that fails is split in two until the damaged rows are isolated, so one bad
 * page costs the rows on it, not the whole history. Each row read is checked by the row schema:
 * damage can also change values. A file that does not open at all yields nothing.
 */
export function salvageAnswers(file: string, setup: SqliteSetup): Salvage {
  const opened = openReadable(file, setup);
  if (!opened)
    return { rows: [], unreadable: () => 0, audit: () => [], packets: () => ({ packets: [], forms: [] }), close: () => {} };
  const { db } = opened;
  // A damaged file may be older than this Pult: the later columns read as null.
  const columns = answerColumnsIn(
    db,
    ANSWER_COLUMNS.filter((c) => c !== 'recovered_from'),
  );
  const range = db.prepare(`SELECT ${columns} FROM answers WHERE seq >= ? AND seq < ? ORDER BY seq`);
  // One row by equality: a range scan would step on into the next (maybe damaged) page.
  const single = db.prepare(`SELECT ${columns} FROM answers WHERE seq = ?`);
  const from = path.basename(file);
  let unreadable = 0;

  const highestSeq = Math.max(
    tryAll(() => (db.prepare('SELECT max(seq) FROM answers').pluck().get() as number | null) ?? 0, 0),
    tryAll(
      () => (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'answers'").pluck().get() as number | undefined) ?? 0,
      0,
    ),
  );

  function* readRange(lo: number, hi: number): Generator<AnswerRow, number> {
    let found: Record<string, unknown>[];
    try {
      found = (hi - lo === 1 ? single.all(lo) : range.all(lo, hi)) as Record<string, unknown>[];
    } catch {
      if (hi - lo <= 1) {
        unreadable += 1;
        return 0;
      }
      const mid = lo + Math.floor((hi - lo) / 2);
      return (yield* readRange(lo, mid)) + (yield* readRange(mid, hi));
    }
    let kept = 0;
    for (const raw of found) {
      const row = AnswerRowSchema.safeParse({ ...raw, recovered_from: from });
      if (row.success) {
        kept++;
        yield row.data;
      } else unreadable += 1;
    }
    return kept;
  }

  function* rows(): Generator<AnswerRow> {
    let emptyInARow = 0;
    for (let lo = 1; lo <= highestSeq || emptyInARow < EMPTY_CHUNKS_BEYOND; lo += CHUNK) {
      const kept = yield* readRange(lo, lo + CHUNK);
      emptyInARow = kept === 0 && lo > highestSeq ? emptyInARow + 1 : 0;
    }
  }

  return {
    rows: rows(),
    unreadable: () => unreadable,
    audit: () => readableAudit(db),
    packets: () => readablePackets(db),
    close: () => {
      db.close();
      opened.cleanUp();
    },
  };
}

/** Opens the file if SQLite can read its answers table, else a copy with its header rebuilt; null if neither reads. */
function openReadable(file: string, setup: SqliteSetup): { db: Database.Database; cleanUp: () => void } | null {
  const readsAnswers = (path: string, options: Database.Options) => {
    let db: Database.Database | null = null;
    try {
      db = openSqlite(path, setup, { ...options, fileMustExist: true });
      db.prepare('SELECT 1 FROM answers LIMIT 1').all();
      return db;
    } catch {
      db?.close();
      return null;
    }
  };
  const direct = readsAnswers(file, { readonly: true });
  if (direct) return { db: direct, cleanUp: () => {} };
  // A broken header alone (the first bytes overwritten) hides every page behind it: with a
  // rebuilt header the schema on page 1 and the answers after it read again.
  let copy: string | null = null;
  try {
    for (copy of rebuiltHeaderCopies(file)) {
      const db = readsAnswers(copy, {});
      const made = copy;
      if (db) return { db, cleanUp: () => removeDatabaseFiles(made) };
    }
  } catch {
    // No room for the copy, or the file is unreadable: nothing more can be read.
  }
  if (copy) removeDatabaseFiles(copy);
  return null;
}

const AUDIT_COLUMNS = 'at_ms AS atMs, what, before AS "from", after AS "to", by';

/** The audit log is small: read whole, or row by row when a damaged page is in the way. */
function readableAudit(db: Database.Database): AuditEntry[] {
  const valid = (rows: unknown[]) => rows.flatMap((row) => AuditEntrySchema.safeParse(row).data ?? []);
  try {
    return valid(db.prepare(`SELECT ${AUDIT_COLUMNS} FROM audit ORDER BY seq`).all());
  } catch {
    try {
      const last = (db.prepare('SELECT max(seq) FROM audit').pluck().get() as number | null) ?? 0;
      const one = db.prepare(`SELECT ${AUDIT_COLUMNS} FROM audit WHERE seq = ?`);
      return valid(Array.from({ length: last }, (_, i) => i + 1).flatMap((seq) => tryAll(() => one.all(seq), [])));
    } catch {
      return []; // no audit table (a file from before migration 7) or its root page is gone
    }
  }
}

/**
 * The packets' tables are small and read whole; what cannot be read is lost as packets only: its
 * forms are packed again with the same foreign-ids (the server knows them by those).
 */
export function readablePackets(db: Database.Database): SalvagedPackets {
  const forms = tryAll(() => db.prepare('SELECT response_id, packet_id FROM mkgu_forms').all() as SalvagedPackets['forms'], []);
  const packets = tryAll(() => db.prepare('SELECT * FROM mkgu_packets').all() as Record<string, unknown>[], []);
  const known = new Set(packets.map((packet) => packet.id));
  return {
    packets,
    forms: forms.filter((form) => typeof form.response_id === 'string' && known.has(form.packet_id)),
  };
}
