import type pg from 'pg';
import type { AlertKind, Heartbeat, WireAnswer } from '../shared/wire.js';
import {
  correctedTime,
  fleetBoxes,
  publishedBundle,
  StoreFromTheFutureError,
  StoreUnavailableError,
  storedOfficeHours,
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

/**
 * The schema, one step per version (table collector_schema). Ids are PostgreSQL `uuid` (16 bytes).
 * The primary key (device_id, answer_id) is the forever uniqueness; answer ids are UUIDv7
 * (time-ordered), so each console's new answers land at the right edge of its part of the index
 * and ingest stays flat as the table grows. Steps 1 and 2 create only what is missing, so a
 * database from before versions existed passes them unharmed.
 */
const MIGRATIONS = [
  `CREATE TABLE IF NOT EXISTS answers (
    device_id    uuid   NOT NULL,
    answer_id    uuid   NOT NULL,
    seq          bigint NOT NULL,
    batch_id     uuid   NOT NULL,
    payload      jsonb  NOT NULL,
    received_at  bigint NOT NULL,
    corrected_at bigint NOT NULL,
    time_flag    text,
    PRIMARY KEY (device_id, answer_id)
  );
  CREATE TABLE IF NOT EXISTS devices (
    device_id         uuid PRIMARY KEY,
    office            text,
    "window"          text,
    app_version       text,
    last_heartbeat_at bigint,
    outbox_depth      integer,
    last_error        text,
    clock_offset_ms   bigint,
    quarantine_count  integer
  );`,
  `ALTER TABLE devices ADD COLUMN IF NOT EXISTS oldest_unsent_at bigint;
  ALTER TABLE devices ADD COLUMN IF NOT EXISTS free_disk_bytes bigint;
  ALTER TABLE devices ADD COLUMN IF NOT EXISTS last_answer_at bigint;
  ALTER TABLE devices ADD COLUMN IF NOT EXISTS uptime_ms bigint;
  ALTER TABLE devices ADD COLUMN IF NOT EXISTS boxes text;`,
  `ALTER TABLE devices ADD COLUMN office_hours text;
  ALTER TABLE devices ADD COLUMN config_version integer;
  ALTER TABLE devices ADD COLUMN refused_config text;
  CREATE TABLE alerts (
    device_id  text   NOT NULL,
    kind       text   NOT NULL,
    detail     text   NOT NULL,
    since      bigint NOT NULL,
    raised_at  bigint,
    cleared_at bigint
  );
  CREATE UNIQUE INDEX alerts_open ON alerts (device_id, kind, detail) WHERE cleared_at IS NULL;
  CREATE INDEX answers_corrected_at ON answers (corrected_at);`,
  `CREATE TABLE config_bundles (
    version      bigint PRIMARY KEY,
    targets      jsonb  NOT NULL,
    bundle       text   NOT NULL,
    signature    text   NOT NULL,
    published_at bigint NOT NULL
  );`,
  // Each answer keeps the office and window its batch came from: the export says where it was given.
  `ALTER TABLE answers ADD COLUMN office text;
  ALTER TABLE answers ADD COLUMN "window" text;`,
];
export const POSTGRES_SCHEMA_VERSION = MIGRATIONS.length;

async function migrate(client: pg.PoolClient): Promise<void> {
  await client.query('CREATE TABLE IF NOT EXISTS collector_schema (version integer NOT NULL)');
  const { rows } = await client.query<{ version: number }>('SELECT max(version) AS version FROM collector_schema');
  const found = rows[0]?.version ?? 0;
  if (found > MIGRATIONS.length) throw new StoreFromTheFutureError(found, MIGRATIONS.length);
  if (found === MIGRATIONS.length) return;
  await client.query('BEGIN');
  try {
    for (const step of MIGRATIONS.slice(found)) await client.query(step);
    await client.query('DELETE FROM collector_schema');
    await client.query('INSERT INTO collector_schema (version) VALUES ($1)', [MIGRATIONS.length]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

const DEVICE_COLUMNS = `d.device_id AS id, office, "window", app_version, last_heartbeat_at, outbox_depth, oldest_unsent_at,
  quarantine_count, free_disk_bytes, last_error, clock_offset_ms, last_answer_at, uptime_ms, boxes, office_hours, config_version,
  refused_config`;
const bigintOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

const deviceFacts = (row: Record<string, unknown>): DeviceFacts => ({
  id: row.id as string,
  office: row.office as string | null,
  window: row.window as string | null,
  appVersion: row.app_version as string | null,
  lastHeartbeatAt: bigintOrNull(row.last_heartbeat_at),
  outboxDepth: row.outbox_depth as number | null,
  oldestUnsentAt: bigintOrNull(row.oldest_unsent_at),
  quarantineCount: row.quarantine_count as number | null,
  freeDiskBytes: bigintOrNull(row.free_disk_bytes),
  lastError: row.last_error as string | null,
  clockOffsetMs: bigintOrNull(row.clock_offset_ms),
  lastAnswerAt: bigintOrNull(row.last_answer_at),
  uptimeMs: bigintOrNull(row.uptime_ms),
  boxes: fleetBoxes(row.boxes),
  officeHours: storedOfficeHours(row.office_hours),
  configVersion: row.config_version as number | null,
  refusedConfig: row.refused_config as string | null,
});

/** Several collector processes may start at once: schema creation is serialised by this lock. */
const SCHEMA_LOCK = 7_300_001;

const INSERT = `INSERT INTO answers (device_id, answer_id, seq, batch_id, payload, received_at, corrected_at, time_flag, office, "window")
  SELECT $1::uuid, a.id, a.seq, $2::uuid, a.payload, $3::bigint, a.corrected_at, a.flag, $9::text, $10::text
  FROM unnest($4::uuid[], $5::bigint[], $6::jsonb[], $7::bigint[], $8::text[]) AS a(id, seq, payload, corrected_at, flag)
  ON CONFLICT DO NOTHING RETURNING answer_id`;

const pgCode = (error: unknown): string => String((error as { code?: unknown } | null)?.code ?? '');

/**
 * The server is away or refusing connections for now (a restart, a failover, too many
 * connections, its disk full): SQLSTATE classes 08, 53, 57P0x, a socket error, or pg's own
 * "Connection terminated". Worth trying again later.
 */
export function isTransient(error: unknown): boolean {
  const code = pgCode(error);
  if (/^(08|53|57P0[123])/.test(code) || /^E(CONNREFUSED|CONNRESET|PIPE|TIMEDOUT|HOSTUNREACH|NETUNREACH|AI_AGAIN)$/.test(code))
    return true;
  return /Connection terminated|timeout exceeded when trying to connect|Connection ended|not queryable/i.test(
    (error as Error | null)?.message ?? '',
  );
}

/** The database refused the data itself (class 22 data exception, 23 integrity, 54 limits): one record's fault. */
const isRecordFault = (error: unknown): boolean => /^(22|23|54)/.test(pgCode(error));

export async function openPostgresStore(connectionString: string): Promise<CollectorStore> {
  // Loaded when a collector uses PostgreSQL only: `pg` is 15 MiB that `pult serve` on a console never needs (issue 21).
  const { default: postgres } = await import('pg');
  const pool = new postgres.Pool({ connectionString, max: 8, connectionTimeoutMillis: 5_000 });
  // An idle connection the server dropped (a restart, a failover) is reported here; without a
  // listener Node ends the process. The pool replaces it at the next query.
  pool.on('error', () => undefined);
  /** Every query of the store: a server that is away becomes StoreUnavailableError (HTTP 503). */
  const query = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) => {
    try {
      return await pool.query<R>(text, values);
    } catch (error) {
      throw isTransient(error) ? new StoreUnavailableError(error) : error;
    }
  };
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK]);
    await migrate(client);
  } catch (error) {
    await client.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK]).catch(() => undefined);
    client.release();
    await pool.end();
    throw error;
  }
  await client.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK]).catch(() => undefined);
  client.release();

  return {
    kind: 'postgres',
    async ingest(batch: IngestBatch): Promise<IngestVerdict> {
      const rows = batch.answers.map((answer) => {
        const time = correctedTime(answer.createdAt, batch.clockOffsetMs, batch.receivedAt);
        return { id: answer.id, seq: answer.seq, payload: JSON.stringify(answer), ...time };
      });
      const insert = async (part: typeof rows) => {
        // One statement, one transaction, one flush. A concurrent insert of the same answer waits for
        // the other's commit and then does nothing: one row, one `accepted`, one `duplicate`.
        const { rows: stored } = await query<{ answer_id: string }>(INSERT, [
          batch.device.id,
          batch.batchId,
          batch.receivedAt,
          part.map((row) => row.id),
          part.map((row) => row.seq),
          part.map((row) => row.payload),
          part.map((row) => row.correctedAt),
          part.map((row) => row.flag),
          batch.device.office,
          batch.device.window,
        ]);
        return new Set(stored.map((row) => row.answer_id));
      };
      const verdict: IngestVerdict = { accepted: [], duplicate: [], rejected: [] };
      const sort = (part: typeof rows, stored: Set<string>) =>
        part.forEach((row) => (stored.has(row.id) ? verdict.accepted : verdict.duplicate).push(row.id));
      try {
        sort(rows, await insert(rows));
        return verdict;
      } catch (error) {
        if (!isRecordFault(error)) throw error;
      }
      // One record the database cannot hold must not fail the batch: each alone, the culprit rejected.
      for (const row of rows) {
        try {
          sort([row], await insert([row]));
        } catch (error) {
          if (!isRecordFault(error)) throw error;
          verdict.rejected.push({
            id: row.id,
            reason: `the collector's database refused this answer: ${(error as Error).message}`,
          });
        }
      }
      return verdict;
    },
    async heartbeat(beat: Heartbeat, receivedAt: number) {
      await query(
        `INSERT INTO devices (device_id, office, "window", app_version, last_heartbeat_at, outbox_depth, last_error, clock_offset_ms,
           quarantine_count, oldest_unsent_at, free_disk_bytes, last_answer_at, uptime_ms, boxes, office_hours, config_version,
           refused_config)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         ON CONFLICT (device_id) DO UPDATE SET office = $2, "window" = $3, app_version = $4, last_heartbeat_at = $5,
           outbox_depth = $6, last_error = $7, clock_offset_ms = $8, quarantine_count = $9, oldest_unsent_at = $10,
           free_disk_bytes = $11, last_answer_at = $12, uptime_ms = $13, boxes = $14, office_hours = $15, config_version = $16,
           refused_config = $17`,
        [
          beat.device.id,
          beat.device.office,
          beat.device.window,
          beat.device.appVersion,
          receivedAt,
          beat.outboxDepth,
          beat.lastError,
          beat.clockOffsetMs,
          beat.quarantineCount,
          beat.oldestUnsentAt,
          beat.freeDiskBytes,
          beat.lastAnswerAt ?? null,
          beat.uptimeMs ?? null,
          JSON.stringify(beat.boxes ?? []),
          beat.office ? JSON.stringify(beat.office) : null,
          beat.configVersion ?? null,
          beat.refusedConfig ?? null,
        ],
      );
    },
    async devices(): Promise<DeviceRow[]> {
      const { rows } = await query(
        `SELECT ${DEVICE_COLUMNS}, (SELECT count(*) FROM answers a WHERE a.device_id = d.device_id) AS answers
         FROM devices d ORDER BY office, "window"`,
      );
      return rows.map((row: Record<string, unknown>) => ({ ...deviceFacts(row), answers: Number(row.answers) }));
    },
    async deviceFacts() {
      // The fleet sorts for itself.
      const { rows } = await query(`SELECT ${DEVICE_COLUMNS} FROM devices d`);
      return rows.map(deviceFacts);
    },
    async device(id: string) {
      const { rows } = await query(`SELECT ${DEVICE_COLUMNS} FROM devices d WHERE device_id = $1`, [id]);
      return rows[0] ? deviceFacts(rows[0] as Record<string, unknown>) : null;
    },
    async publishBundle(bundle: PublishedBundle) {
      const { rowCount } = await query(
        `INSERT INTO config_bundles (version, targets, bundle, signature, published_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING`,
        [bundle.version, JSON.stringify(bundle.targets), bundle.bundle, bundle.signature, bundle.publishedAt],
      );
      return rowCount === 1;
    },
    async bundles() {
      const { rows } = await query('SELECT * FROM config_bundles ORDER BY version DESC');
      return rows.map(publishedBundle);
    },
    async answerCounts(sinceMs: number) {
      const { rows } = await query<{ device_id: string; n: string }>(
        'SELECT device_id, count(*) AS n FROM answers WHERE corrected_at >= $1 GROUP BY device_id',
        [sinceMs],
      );
      return new Map(rows.map((row) => [row.device_id, Number(row.n)]));
    },
    async openAlerts(): Promise<AlertRow[]> {
      const { rows } = await query('SELECT * FROM alerts WHERE cleared_at IS NULL');
      return rows.map((row: Record<string, unknown>) => ({
        deviceId: row.device_id as string,
        kind: row.kind as AlertKind,
        detail: row.detail as string,
        since: Number(row.since),
        raisedAt: row.raised_at === null ? null : Number(row.raised_at),
      }));
    },
    async noteCause(row: AlertRow) {
      const { rowCount } = await query(
        'INSERT INTO alerts (device_id, kind, detail, since, raised_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
        [row.deviceId, row.kind, row.detail, row.since, row.raisedAt],
      );
      return rowCount === 1;
    },
    async raiseAlert(deviceId, kind, detail, atMs) {
      const { rowCount } = await query(
        `UPDATE alerts SET raised_at = $4 WHERE device_id = $1 AND kind = $2 AND detail = $3 AND cleared_at IS NULL
           AND raised_at IS NULL`,
        [deviceId, kind, detail, atMs],
      );
      return rowCount === 1;
    },
    async endCause(deviceId, kind, detail, atMs) {
      const { rowCount } = await query(
        `UPDATE alerts SET cleared_at = $4 WHERE device_id = $1 AND kind = $2 AND detail = $3 AND cleared_at IS NULL
           AND raised_at IS NOT NULL`,
        [deviceId, kind, detail, atMs],
      );
      if (rowCount === 1) return true;
      // A cause that went before it was raised leaves nothing behind.
      await query(
        'DELETE FROM alerts WHERE device_id = $1 AND kind = $2 AND detail = $3 AND cleared_at IS NULL AND raised_at IS NULL',
        [deviceId, kind, detail],
      );
      return false;
    },
    async *exportRows(range = {}): AsyncIterable<ExportRow> {
      let after: [string, string] = ['00000000-0000-0000-0000-000000000000', '00000000-0000-0000-0000-000000000000'];
      const bounds = [range.fromMs ?? Number.MIN_SAFE_INTEGER, range.toMs ?? Number.MAX_SAFE_INTEGER];
      for (;;) {
        const { rows } = await query(
          `SELECT a.*, coalesce(a.office, d.office) AS at_office, coalesce(a."window", d."window") AS at_window
           FROM answers a LEFT JOIN devices d ON d.device_id = a.device_id
           WHERE (a.device_id, a.answer_id) > ($1::uuid, $2::uuid) AND a.corrected_at >= $3 AND a.corrected_at < $4
           ORDER BY a.device_id, a.answer_id LIMIT 5000`,
          [...after, ...bounds],
        );
        if (rows.length === 0) return;
        for (const row of rows as Record<string, unknown>[])
          yield {
            deviceId: row.device_id as string,
            office: row.at_office as string | null,
            window: row.at_window as string | null,
            answer: row.payload as WireAnswer,
            batchId: row.batch_id as string,
            receivedAt: Number(row.received_at),
            correctedAt: Number(row.corrected_at),
            timeFlag: row.time_flag as TimeFlag | null,
          };
        const last = rows.at(-1) as Record<string, string>;
        after = [last.device_id!, last.answer_id!];
      }
    },
    async close() {
      await pool.end();
    },
  };
}

export const isPostgresUrl = (db: string): boolean => /^postgres(ql)?:\/\//.test(db);
