import type Database from 'better-sqlite3';
import { PultFailure } from '../errors.js';
import { countEarlierMisuse, countEarlierOperators } from './rollups.js';

/** What a data migration may need to know of the console besides its file. */
export interface MigrationContext {
  /** The office's IANA zone (rollups are filed under office days and hours). */
  timeZone?: string;
}

/**
 * Ordered migrations. Each runs in one transaction and bumps `PRAGMA user_version`; versions must
 * be 1, 2, 3… with no gaps. A schema change is `sql`; a data migration is `up(db, ctx)`. Never
 * edit a shipped migration: add the next one.
 */
export type Migration = { version: number; name: string } & (
  { sql: string } | { up: (db: Database.Database, context: MigrationContext) => void }
);

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'answers, outbox, quarantine, rollups, meta',
    sql: `
      CREATE TABLE answers (
        seq          INTEGER PRIMARY KEY AUTOINCREMENT,  -- per-device order, never reused
        id           TEXT NOT NULL UNIQUE,               -- UUIDv7, the server's idempotency key
        response_id  TEXT NOT NULL,
        question     TEXT NOT NULL,
        value        INTEGER,
        reasons      TEXT,                               -- JSON array, follow-up answers only
        comment      TEXT,
        locale       TEXT NOT NULL,
        source       TEXT NOT NULL,
        flags        TEXT NOT NULL DEFAULT '[]',         -- JSON array, e.g. ["misuse"]
        office_id    TEXT NOT NULL,
        window_id    TEXT NOT NULL,
        operator_id  TEXT,
        ticket       TEXT,
        created_at_ms INTEGER NOT NULL,                  -- device wall clock (may be wrong)
        mono_ms      REAL NOT NULL,                      -- monotonic clock within boot_id
        boot_id      TEXT NOT NULL
      );
      CREATE INDEX answers_by_time ON answers (created_at_ms);
      CREATE INDEX answers_by_response ON answers (response_id);

      -- Answers are append-only: a correction is a new row, never an UPDATE.
      CREATE TRIGGER answers_are_immutable BEFORE UPDATE ON answers
        BEGIN SELECT RAISE(ABORT, 'answers are immutable'); END;
      CREATE TRIGGER answers_are_never_deleted BEFORE DELETE ON answers
        BEGIN SELECT RAISE(ABORT, 'answers are never deleted'); END;

      -- What the sync loop still has to deliver; a row leaves only when the server acknowledged it.
      CREATE TABLE outbox (
        seq        INTEGER PRIMARY KEY REFERENCES answers (seq),
        batch_id   TEXT,
        attempts   INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
      );

      -- Answers the server rejected, with its reason. Never deleted by the program.
      CREATE TABLE quarantine (
        seq      INTEGER PRIMARY KEY REFERENCES answers (seq),
        reason   TEXT NOT NULL,
        at_ms    INTEGER NOT NULL
      );

      -- Counts for the supervisor screen, updated in the same transaction as each answer.
      CREATE TABLE rollups (
        window_id TEXT NOT NULL,
        day       TEXT NOT NULL,     -- YYYY-MM-DD in the office time zone
        hour      INTEGER NOT NULL,  -- 0..23 in the office time zone
        question  TEXT NOT NULL,
        value     TEXT NOT NULL,     -- score, or reason id for follow-ups
        count     INTEGER NOT NULL,
        PRIMARY KEY (window_id, day, hour, question, value)
      ) WITHOUT ROWID;

      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'counters kept by triggers; answers salvaged from a damaged file are marked',
    sql: `
      -- The status line's numbers, kept in the writing transaction: a tap never counts the tables.
      CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO counters (name, value) VALUES
        ('answers', (SELECT count(*) FROM answers)),
        ('outbox', (SELECT count(*) FROM outbox));
      CREATE TRIGGER count_answers AFTER INSERT ON answers
        BEGIN UPDATE counters SET value = value + 1 WHERE name = 'answers'; END;
      CREATE TRIGGER count_outbox_in AFTER INSERT ON outbox
        BEGIN UPDATE counters SET value = value + 1 WHERE name = 'outbox'; END;
      CREATE TRIGGER count_outbox_out AFTER DELETE ON outbox
        BEGIN UPDATE counters SET value = value - 1 WHERE name = 'outbox'; END;
      -- Set on answers read back from a damaged database file: which file they came from.
      ALTER TABLE answers ADD COLUMN recovered_from TEXT;
    `,
  },
  {
    version: 3,
    name: 'batches sent to the collector; quarantine counted',
    sql: `
      -- A batch's bytes as first sent: a resend after a crash or a lost reply sends the same id and
      -- the same bytes. Its answers are the outbox rows carrying its batch_id.
      CREATE TABLE batches (
        batch_id      TEXT PRIMARY KEY,
        body          TEXT NOT NULL,
        answers       INTEGER NOT NULL,
        created_at_ms INTEGER NOT NULL
      );
      CREATE INDEX outbox_by_batch ON outbox (batch_id);
      INSERT INTO counters (name, value) VALUES ('quarantine', (SELECT count(*) FROM quarantine));
      CREATE TRIGGER count_quarantine AFTER INSERT ON quarantine
        BEGIN UPDATE counters SET value = value + 1 WHERE name = 'quarantine'; END;
    `,
  },
  {
    version: 4,
    name: 'no time index on answers: every tap paid for it, only a date-filtered export used it',
    sql: `
      -- Statistics read rollups; an export streams the table in seq order and filters by time as it
      -- goes. One B-tree fewer to update per tap (about a fifth of the tap's SQL work).
      DROP INDEX answers_by_time;
    `,
  },
  {
    version: 5,
    name: 'presses: which press stored which answer, so that a press sent again is applied once',
    sql: `
      -- A screen whose reply was lost sends its press again, with the same id, possibly after the
      -- console restarted. Kept for the last presses only (storage prunes it): a small B-tree.
      CREATE TABLE presses (
        press_id TEXT PRIMARY KEY,
        seq      INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 6,
    name: 'summed rollups: a period over months, years or every window reads thousands of rows, not millions',
    sql: `
      -- The hourly rollups summed for the periods statistics read: per window and for every window
      -- together (scope '*', never a window id), per day and per month (unit 'day' or 'month',
      -- bucket YYYY-MM-DD or YYYY-MM: a month's rows are not interleaved with its days'), per hour
      -- and over all hours (hour -1, before the bucket in the key: totals read no hourly rows).
      -- Kept by triggers in the answer's transaction; a count that changes rewrites one row.
      CREATE TABLE rollups_sum (
        scope    TEXT NOT NULL,
        unit     TEXT NOT NULL,
        bucket   TEXT NOT NULL,
        hour     INTEGER NOT NULL,
        question TEXT NOT NULL,
        value    TEXT NOT NULL,
        count    INTEGER NOT NULL,
        PRIMARY KEY (scope, unit, hour, bucket, question, value)
      ) WITHOUT ROWID;
      INSERT INTO rollups_sum (scope, unit, bucket, hour, question, value, count)
          SELECT window_id, 'day', day, -1, question, value, sum(count) FROM rollups GROUP BY 1, 3, 5, 6
          UNION ALL SELECT window_id, 'month', substr(day, 1, 7), hour, question, value, sum(count) FROM rollups GROUP BY 1, 3, 4, 5, 6
          UNION ALL SELECT window_id, 'month', substr(day, 1, 7), -1, question, value, sum(count) FROM rollups GROUP BY 1, 3, 5, 6
          UNION ALL SELECT '*', 'day', day, hour, question, value, sum(count) FROM rollups GROUP BY 3, 4, 5, 6
          UNION ALL SELECT '*', 'day', day, -1, question, value, sum(count) FROM rollups GROUP BY 3, 5, 6
          UNION ALL SELECT '*', 'month', substr(day, 1, 7), hour, question, value, sum(count) FROM rollups GROUP BY 3, 4, 5, 6
          UNION ALL SELECT '*', 'month', substr(day, 1, 7), -1, question, value, sum(count) FROM rollups GROUP BY 3, 5, 6;
      CREATE TRIGGER rollups_sum_new AFTER INSERT ON rollups BEGIN
        INSERT INTO rollups_sum (scope, unit, bucket, hour, question, value, count) VALUES
            (NEW.window_id, 'day', NEW.day, -1, NEW.question, NEW.value, NEW.count),
            (NEW.window_id, 'month', substr(NEW.day, 1, 7), NEW.hour, NEW.question, NEW.value, NEW.count),
            (NEW.window_id, 'month', substr(NEW.day, 1, 7), -1, NEW.question, NEW.value, NEW.count),
            ('*', 'day', NEW.day, NEW.hour, NEW.question, NEW.value, NEW.count),
            ('*', 'day', NEW.day, -1, NEW.question, NEW.value, NEW.count),
            ('*', 'month', substr(NEW.day, 1, 7), NEW.hour, NEW.question, NEW.value, NEW.count),
            ('*', 'month', substr(NEW.day, 1, 7), -1, NEW.question, NEW.value, NEW.count)
          ON CONFLICT (scope, unit, hour, bucket, question, value) DO UPDATE SET count = count + excluded.count;
      END;
      CREATE TRIGGER rollups_sum_more AFTER UPDATE OF count ON rollups BEGIN
        INSERT INTO rollups_sum (scope, unit, bucket, hour, question, value, count) VALUES
            (NEW.window_id, 'day', NEW.day, -1, NEW.question, NEW.value, NEW.count - OLD.count),
            (NEW.window_id, 'month', substr(NEW.day, 1, 7), NEW.hour, NEW.question, NEW.value, NEW.count - OLD.count),
            (NEW.window_id, 'month', substr(NEW.day, 1, 7), -1, NEW.question, NEW.value, NEW.count - OLD.count),
            ('*', 'day', NEW.day, NEW.hour, NEW.question, NEW.value, NEW.count - OLD.count),
            ('*', 'day', NEW.day, -1, NEW.question, NEW.value, NEW.count - OLD.count),
            ('*', 'month', substr(NEW.day, 1, 7), NEW.hour, NEW.question, NEW.value, NEW.count - OLD.count),
            ('*', 'month', substr(NEW.day, 1, 7), -1, NEW.question, NEW.value, NEW.count - OLD.count)
          ON CONFLICT (scope, unit, hour, bucket, question, value) DO UPDATE SET count = count + excluded.count;
      END;
    `,
  },
  {
    version: 7,
    name: 'audit: every setting changed on the supervisor screen, when, from what to what, from where',
    sql: `
      CREATE TABLE audit (
        seq   INTEGER PRIMARY KEY,
        at_ms INTEGER NOT NULL,
        what  TEXT NOT NULL,
        before TEXT NOT NULL,
        after  TEXT NOT NULL,
        by    TEXT NOT NULL
      );
    `,
  },
  {
    version: 8,
    name: 'rollups: misuse stored before it had its own count is counted, once (it used to be checked at every start)',
    up: countEarlierMisuse,
  },
  {
    version: 9,
    name: 'answers: the service (its ФРГУ id) the electronic queue said the ticket was for',
    // Only if missing: a file whose version number was set back (a restored backup's meta) keeps its column.
    up: (db) => {
      const columns = (db.pragma('table_info(answers)') as { name: string }[]).map((column) => column.name);
      if (!columns.includes('service_id')) db.exec('ALTER TABLE answers ADD COLUMN service_id TEXT');
    },
  },
  {
    version: 10,
    name: "operator rollups (each operator's scores per service, day and month) and ticket claims (one rating per ticket)",
    up: (db, context) => {
      // Only if missing (as 9): a file whose version number was set back keeps its counts, uncounted twice.
      if (db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'operator_rollups'").get() !== undefined) return;
      // The question and the bucket first in the key: a period of one criterion is one range.
      db.exec(`
        CREATE TABLE operator_rollups (
          unit        TEXT NOT NULL,     -- 'day' or 'month'
          question    TEXT NOT NULL,     -- csi, nps…: the criterion
          bucket      TEXT NOT NULL,     -- YYYY-MM-DD or YYYY-MM in the office time zone
          operator_id TEXT NOT NULL,
          service_id  TEXT NOT NULL,     -- the ФРГУ id, '' when the queue named none
          value       TEXT NOT NULL,     -- the score
          count       INTEGER NOT NULL,
          PRIMARY KEY (unit, question, bucket, operator_id, service_id, value)
        ) WITHOUT ROWID;`);
      countEarlierOperators(db, context);
      // One rating per ticket, taken in the answer's transaction (it was a list in meta before).
      db.exec(`CREATE TABLE ticket_claims (
                 key         TEXT PRIMARY KEY,  -- visit:<id>, or ticket:<office day>:<number>
                 response_id TEXT NOT NULL,
                 at_ms       INTEGER NOT NULL
               ) WITHOUT ROWID;`);
      claimsFromMeta(db);
    },
  },
  {
    version: 11,
    name: 'ИАС МКГУ packets: each packet sent with its exact bytes, status and last reply; which packet carries each form',
    // IF NOT EXISTS (as 9 and 10): a file whose version number was set back keeps its packets.
    sql: `
      CREATE TABLE IF NOT EXISTS mkgu_packets (
        id            TEXT PRIMARY KEY,     -- UUIDv7
        created_at_ms INTEGER NOT NULL,
        forms         INTEGER NOT NULL,
        body          TEXT,                 -- the exact request, resent byte for byte; dropped a month after acceptance
        status        TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
        attempts      INTEGER NOT NULL DEFAULT 0,
        next_at_ms    INTEGER NOT NULL DEFAULT 0,  -- not before: the backoff or the server's Retry-After
        last_error    TEXT,
        reply_status  INTEGER,
        reply         TEXT,                 -- the server's last reply as it came (at most 64 KiB)
        settled_at_ms INTEGER
      );
      CREATE INDEX IF NOT EXISTS mkgu_packets_pending ON mkgu_packets (created_at_ms) WHERE status = 'pending';
      CREATE TABLE IF NOT EXISTS mkgu_forms (
        response_id TEXT PRIMARY KEY,       -- the form's foreign-id: in one packet, ever
        packet_id   TEXT NOT NULL REFERENCES mkgu_packets (id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 12,
    name: "the outbox's batch index holds batched rows only: a tap's new row, not yet in a batch, writes no index page",
    // Every look-up by batch is `batch_id = ?`, which this index serves; the rows not yet batched
    // are found in seq order (the outbox's own key), as before. One WAL page fewer per tap (bench a3).
    sql: `
      DROP INDEX IF EXISTS outbox_by_batch;
      CREATE INDEX outbox_by_batch ON outbox (batch_id) WHERE batch_id IS NOT NULL;
    `,
  },
];

/** Claims kept in meta before migration 10 move to their table, as of now (they are pruned after two days). */
function claimsFromMeta(db: Database.Database): void {
  const kept = db.prepare("SELECT value FROM meta WHERE key = 'queue_rated'").pluck().get() as string | undefined;
  if (kept === undefined) return;
  let pairs: unknown;
  try {
    pairs = JSON.parse(kept);
  } catch {
    pairs = [];
  }
  const insert = db.prepare('INSERT OR IGNORE INTO ticket_claims (key, response_id, at_ms) VALUES (?, ?, ?)');
  if (Array.isArray(pairs))
    for (const pair of pairs as unknown[])
      if (Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string')
        insert.run(pair[0], pair[1], Date.now());
  db.prepare("DELETE FROM meta WHERE key = 'queue_rated'").run();
}

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;

/** The file was written by a newer Pult: refuse it, unchanged, rather than guess at its schema. */
export class DatabaseFromFutureError extends PultFailure {
  constructor(
    readonly file: string,
    readonly found: number,
  ) {
    super('databaseFromFuture', { file, found, known: LATEST_SCHEMA_VERSION });
  }
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies every migration newer than the file, each in its own transaction. */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
  context: MigrationContext = {},
): number {
  migrations.forEach((m, index) => {
    if (m.version !== index + 1) throw new Error(`migration "${m.name}" has version ${m.version}, expected ${index + 1}`);
  });
  const current = schemaVersion(db);
  for (const migration of migrations.slice(current)) {
    db.transaction(() => {
      if ('sql' in migration) db.exec(migration.sql);
      else migration.up(db, context);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return schemaVersion(db);
}
