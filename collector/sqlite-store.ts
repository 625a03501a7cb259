import Database from 'better-sqlite3';
import type { AlertKind, Heartbeat, WireAnswer } from '../shared/wire.js';
import {
  correctedTime,
  fleetBoxes,
  publishedBundle,
  StoreFromTheFutureError,
  StoreUnavailableError,
  storedOfficeHours,
  uuidBytes,
  uuidText,
  type CollectorStore,
  type AlertRow,
  type DeviceFacts,
  type DeviceRow,
  type PublishedBundle,
  type ExportRow,
  type IngestBatch,
  type IngestVerdict,
  type TimeFlag,
} from './store.js';

const sqliteCode = (error: unknown): string => String((error as { code?: unknown } | null)?.code ?? '');
/** SQLite refused the record itself (too big, a constraint): that record's fault, not the batch's. */
const isRecordFault = (error: unknown): boolean => /^SQLITE_(CONSTRAINT|TOOBIG|MISMATCH)/.test(sqliteCode(error));
/** The file cannot be written now (disk full, I/O error, locked): the whole batch is tried again later. */
const isTransient = (error: unknown): boolean => /^SQLITE_(FULL|IOERR|BUSY|LOCKED|CANTOPEN)/.test(sqliteCode(error));

/**
 * The schema, one step per version (PRAGMA user_version). A database from before versions existed
 * (user_version 0 with the tables there) passes steps 1 and 2 unharmed: they create only what is
 * missing. A database from a newer collector is refused.
 */
const MIGRATIONS: ((db: Database.Database) => void)[] = [
  (db) =>
    db.exec(`
    CREATE TABLE IF NOT EXISTS answers (
      device_id    BLOB NOT NULL,      -- 16-byte UUIDs
      answer_id    BLOB NOT NULL,
      seq          INTEGER NOT NULL,
      batch_id     TEXT NOT NULL,
      payload      TEXT NOT NULL,      -- the answer as the console sent it (JSON)
      received_at  INTEGER NOT NULL,
      corrected_at INTEGER NOT NULL,
      time_flag    TEXT,
      PRIMARY KEY (device_id, answer_id)   -- forever: a console may come back after weeks
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS devices (
      device_id       BLOB PRIMARY KEY,
      office          TEXT,
      window          TEXT,
      app_version     TEXT,
      last_heartbeat_at INTEGER,
      outbox_depth    INTEGER,
      last_error      TEXT,
      clock_offset_ms INTEGER,
      quarantine_count INTEGER
    ) WITHOUT ROWID;`),
  // Heartbeat fields of 0.1 that an unversioned database may or may not have.
  (db) =>
    addMissingColumns(db, {
      oldest_unsent_at: 'INTEGER',
      free_disk_bytes: 'INTEGER',
      last_answer_at: 'INTEGER',
      uptime_ms: 'INTEGER',
      boxes: 'TEXT',
    }),
  (db) => {
    addMissingColumns(db, { office_hours: 'TEXT', config_version: 'INTEGER', refused_config: 'TEXT' });
    db.exec(`
      CREATE TABLE alerts (
        device_id  TEXT NOT NULL,
        kind       TEXT NOT NULL,
        detail     TEXT NOT NULL,
        since      INTEGER NOT NULL,
        raised_at  INTEGER,             -- NULL: the cause is within its hold, not an alert yet
        cleared_at INTEGER
      );
      CREATE UNIQUE INDEX alerts_open ON alerts (device_id, kind, detail) WHERE cleared_at IS NULL;
      -- "Usually gets answers": a week's answers per console, read every few minutes.
      CREATE INDEX answers_corrected_at ON answers (corrected_at);`);
  },
  (db) =>
    db.exec(`
      CREATE TABLE config_bundles (
        version      INTEGER PRIMARY KEY,
        targets      TEXT NOT NULL,     -- JSON, as in the bundle
        bundle       TEXT NOT NULL,     -- the bytes signed, as published
        signature    TEXT NOT NULL,     -- its .minisig
        published_at INTEGER NOT NULL
      );`),
  // Each answer keeps the office and window its batch came from: the export says where it was given.
  (db) => db.exec('ALTER TABLE answers ADD COLUMN office TEXT; ALTER TABLE answers ADD COLUMN window TEXT;'),
];
export const SQLITE_SCHEMA_VERSION = MIGRATIONS.length;

function addMissingColumns(db: Database.Database, columns: Record<string, string>): void {
  const has = new Set((db.pragma('table_info(devices)') as { name: string }[]).map((column) => column.name));
  for (const [column, type] of Object.entries(columns))
    if (!has.has(column)) db.exec(`ALTER TABLE devices ADD COLUMN ${column} ${type}`);
}

function migrate(db: Database.Database): void {
  const found = db.pragma('user_version', { simple: true }) as number;
  if (found > MIGRATIONS.length) throw new StoreFromTheFutureError(found, MIGRATIONS.length);
  db.transaction(() => {
    MIGRATIONS.slice(found).forEach((step) => step(db));
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}

/**
 * A device's columns, in the order deviceFacts reads them. Its statements return rows as arrays:
 * with 5,000 consoles, naming 17 keys on each row object was a third of `GET /v1/fleet` (bench k1).
 */
const DEVICE_COLUMNS = `d.device_id, office, window, app_version, last_heartbeat_at, outbox_depth, oldest_unsent_at,
  quarantine_count, free_disk_bytes, last_error, clock_offset_ms, last_answer_at, uptime_ms, boxes, office_hours,
  config_version, refused_config`;

type Text = string | null;
type Count = number | null;
/** DEVICE_COLUMNS' values, as SQLite returns them (boxes and office hours are JSON text, read by their own functions). */
type DeviceValues = [
  Buffer,
  Text,
  Text,
  Text,
  Count,
  Count,
  Count,
  Count,
  Count,
  Text,
  Count,
  Count,
  Count,
  unknown,
  unknown,
  Count,
  Text,
];

const deviceFacts = (row: unknown[]): DeviceFacts => {
  const v = row as DeviceValues;
  return {
    id: uuidText(v[0]),
    office: v[1],
    window: v[2],
    appVersion: v[3],
    lastHeartbeatAt: v[4],
    outboxDepth: v[5],
    oldestUnsentAt: v[6],
    quarantineCount: v[7],
    freeDiskBytes: v[8],
    lastError: v[9],
    clockOffsetMs: v[10],
    lastAnswerAt: v[11],
    uptimeMs: v[12],
    boxes: fleetBoxes(v[13]),
    officeHours: storedOfficeHours(v[14]),
    configVersion: v[15],
    refusedConfig: v[16],
  };
};

/** The default collector storage: one SQLite file, WAL, one fsync per batch. */
export function openSqliteStore(file: string): CollectorStore {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  try {
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  const insert =
    db.prepare(`INSERT INTO answers (device_id, answer_id, seq, batch_id, payload, received_at, corrected_at, time_flag, office, window)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`);
  const upsertDevice = db.prepare(`INSERT INTO devices (device_id, office, window, app_version, last_heartbeat_at, outbox_depth,
      oldest_unsent_at, free_disk_bytes, last_error, clock_offset_ms, quarantine_count, last_answer_at, uptime_ms, boxes,
      office_hours, config_version, refused_config)
      VALUES (@device_id, @office, @window, @app_version, @last_heartbeat_at, @outbox_depth, @oldest_unsent_at, @free_disk_bytes,
      @last_error, @clock_offset_ms, @quarantine_count, @last_answer_at, @uptime_ms, @boxes, @office_hours, @config_version,
      @refused_config)
    ON CONFLICT (device_id) DO UPDATE SET office = excluded.office, window = excluded.window, app_version = excluded.app_version,
      last_heartbeat_at = excluded.last_heartbeat_at, outbox_depth = excluded.outbox_depth,
      oldest_unsent_at = excluded.oldest_unsent_at, free_disk_bytes = excluded.free_disk_bytes, last_error = excluded.last_error,
      clock_offset_ms = excluded.clock_offset_ms, quarantine_count = excluded.quarantine_count,
      last_answer_at = excluded.last_answer_at, uptime_ms = excluded.uptime_ms, boxes = excluded.boxes,
      office_hours = excluded.office_hours, config_version = excluded.config_version, refused_config = excluded.refused_config`);
  const beatOnce = (beat: Heartbeat, receivedAt: number) =>
    upsertDevice.run({
      device_id: uuidBytes(beat.device.id),
      office: beat.device.office,
      window: beat.device.window,
      app_version: beat.device.appVersion,
      last_heartbeat_at: receivedAt,
      outbox_depth: beat.outboxDepth,
      oldest_unsent_at: beat.oldestUnsentAt,
      free_disk_bytes: beat.freeDiskBytes,
      last_error: beat.lastError,
      clock_offset_ms: beat.clockOffsetMs,
      quarantine_count: beat.quarantineCount,
      last_answer_at: beat.lastAnswerAt ?? null,
      uptime_ms: beat.uptimeMs ?? null,
      boxes: JSON.stringify(beat.boxes ?? []),
      office_hours: beat.office ? JSON.stringify(beat.office) : null,
      config_version: beat.configVersion ?? null,
      refused_config: beat.refusedConfig ?? null,
    });

  // What every heartbeat and every fleet read asks: prepared once. The fleet sorts for itself.
  const reads = {
    facts: db.prepare(`SELECT ${DEVICE_COLUMNS} FROM devices d`).raw(),
    device: db.prepare(`SELECT ${DEVICE_COLUMNS} FROM devices d WHERE device_id = ?`).raw(),
    bundles: db.prepare('SELECT * FROM config_bundles ORDER BY version DESC'),
  };
  const alerts = {
    open: db.prepare('SELECT * FROM alerts WHERE cleared_at IS NULL'),
    note: db.prepare('INSERT OR IGNORE INTO alerts (device_id, kind, detail, since, raised_at) VALUES (?, ?, ?, ?, ?)'),
    raise: db.prepare(
      'UPDATE alerts SET raised_at = ? WHERE device_id = ? AND kind = ? AND detail = ? AND cleared_at IS NULL AND raised_at IS NULL',
    ),
    clear: db.prepare(
      'UPDATE alerts SET cleared_at = ? WHERE device_id = ? AND kind = ? AND detail = ? AND cleared_at IS NULL AND raised_at IS NOT NULL',
    ),
    // A cause that went before it was raised leaves nothing behind.
    forget: db.prepare(
      'DELETE FROM alerts WHERE device_id = ? AND kind = ? AND detail = ? AND cleared_at IS NULL AND raised_at IS NULL',
    ),
  };

  const ingest = db.transaction((batch: IngestBatch) => {
    const device = uuidBytes(batch.device.id);
    const verdict: IngestVerdict = { accepted: [], duplicate: [], rejected: [] };
    for (const answer of batch.answers) {
      const { correctedAt, flag } = correctedTime(answer.createdAt, batch.clockOffsetMs, batch.receivedAt);
      let changes: number;
      try {
        ({ changes } = insert.run(
          device,
          uuidBytes(answer.id),
          answer.seq,
          batch.batchId,
          JSON.stringify(answer),
          batch.receivedAt,
          correctedAt,
          flag,
          batch.device.office,
          batch.device.window,
        ));
      } catch (error) {
        // Only this statement was undone: the batch goes on without the one record.
        if (!isRecordFault(error)) throw error;
        verdict.rejected.push({
          id: answer.id,
          reason: `the collector's database refused this answer: ${(error as Error).message}`,
        });
        continue;
      }
      (changes === 1 ? verdict.accepted : verdict.duplicate).push(answer.id);
    }
    return verdict;
  });

  return {
    kind: 'sqlite',
    ingest: async (batch) => {
      try {
        return ingest.immediate(batch);
      } catch (error) {
        throw isTransient(error) ? new StoreUnavailableError(error) : error;
      }
    },
    async heartbeat(beat: Heartbeat, receivedAt: number) {
      // A heartbeat is replaced by the next within a minute: it is not worth a flush of its own (the
      // next batch's FULL commit flushes it). Answers are still committed with synchronous = FULL.
      db.pragma('synchronous = NORMAL');
      try {
        beatOnce(beat, receivedAt);
      } finally {
        db.pragma('synchronous = FULL');
      }
    },
    async devices(): Promise<DeviceRow[]> {
      const rows = db
        .prepare(
          `SELECT ${DEVICE_COLUMNS}, (SELECT count(*) FROM answers a WHERE a.device_id = d.device_id) AS answers
          FROM devices d ORDER BY office, window`,
        )
        .raw()
        .all() as unknown[][];
      // The answers' count is the column after the device's.
      return rows.map((row) => ({ ...deviceFacts(row), answers: row.at(-1) as number }));
    },
    async deviceFacts() {
      return (reads.facts.all() as unknown[][]).map(deviceFacts);
    },
    async device(id: string) {
      const row = reads.device.get(uuidBytes(id)) as unknown[] | undefined;
      return row ? deviceFacts(row) : null;
    },
    async publishBundle(bundle: PublishedBundle) {
      const { changes } = db
        .prepare(
          'INSERT OR IGNORE INTO config_bundles (version, targets, bundle, signature, published_at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(bundle.version, JSON.stringify(bundle.targets), bundle.bundle, bundle.signature, bundle.publishedAt);
      return changes === 1;
    },
    async bundles() {
      const rows = reads.bundles.all() as Record<string, unknown>[];
      return rows.map(publishedBundle);
    },
    async answerCounts(sinceMs: number) {
      const rows = db
        .prepare('SELECT device_id, count(*) AS n FROM answers WHERE corrected_at >= ? GROUP BY device_id')
        .all(sinceMs) as { device_id: Buffer; n: number }[];
      return new Map(rows.map((row) => [uuidText(row.device_id), row.n]));
    },
    async openAlerts(): Promise<AlertRow[]> {
      return (alerts.open.all() as Record<string, unknown>[]).map((row) => ({
        deviceId: row.device_id as string,
        kind: row.kind as AlertKind,
        detail: row.detail as string,
        since: row.since as number,
        raisedAt: row.raised_at as number | null,
      }));
    },
    async noteCause(row: AlertRow) {
      return alerts.note.run(row.deviceId, row.kind, row.detail, row.since, row.raisedAt).changes === 1;
    },
    async raiseAlert(deviceId, kind, detail, atMs) {
      return alerts.raise.run(atMs, deviceId, kind, detail).changes === 1;
    },
    async endCause(deviceId, kind, detail, atMs) {
      if (alerts.clear.run(atMs, deviceId, kind, detail).changes === 1) return true;
      alerts.forget.run(deviceId, kind, detail);
      return false;
    },
    async *exportRows(range = {}): AsyncIterable<ExportRow> {
      const rows = db
        .prepare(
          `SELECT a.*, coalesce(a.office, d.office) AS at_office, coalesce(a.window, d.window) AS at_window
          FROM answers a LEFT JOIN devices d ON d.device_id = a.device_id
          WHERE a.corrected_at >= ? AND a.corrected_at < ? ORDER BY a.device_id, a.seq`,
        )
        .iterate(range.fromMs ?? Number.MIN_SAFE_INTEGER, range.toMs ?? Number.MAX_SAFE_INTEGER) as IterableIterator<
        Record<string, unknown>
      >;
      for (const row of rows)
        yield {
          deviceId: uuidText(row.device_id as Buffer),
          office: row.at_office as string | null,
          window: row.at_window as string | null,
          answer: JSON.parse(row.payload as string) as WireAnswer,
          batchId: row.batch_id as string,
          receivedAt: row.received_at as number,
          correctedAt: row.corrected_at as number,
          timeFlag: row.time_flag as TimeFlag | null,
        };
    },
    async close() {
      db.close();
    },
  };
}
