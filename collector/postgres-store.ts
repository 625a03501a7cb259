import pg from 'pg';
import type { Heartbeat, WireAnswer } from '../shared/wire.js';
import { correctedTime, type CollectorStore, type DeviceRow, type ExportRow, type IngestBatch, type TimeFlag } from './store.js';

/**
 * Ids are PostgreSQL `uuid` (16 bytes). The primary key (device_id, answer_id) is the forever
 * uniqueness; answer ids are UUIDv7 (time-ordered), so each console's new answers land at the
 * right edge of its part of the index and ingest stays flat as the table grows.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS answers (
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
  );
`;
/** Several collector processes may start at once: schema creation is serialised by this lock. */
const SCHEMA_LOCK = 7_300_001;

export async function openPostgresStore(connectionString: string): Promise<CollectorStore> {
  const pool = new pg.Pool({ connectionString, max: 8 });
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK]);
    await client.query(SCHEMA);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK]).catch(() => undefined);
    client.release();
  }

  return {
    kind: 'postgres',
    async ingest(batch: IngestBatch) {
      const ids: string[] = [];
      const seqs: number[] = [];
      const payloads: string[] = [];
      const corrected: number[] = [];
      const flags: (TimeFlag | null)[] = [];
      for (const answer of batch.answers) {
        const time = correctedTime(answer.createdAt, batch.clockOffsetMs, batch.receivedAt);
        ids.push(answer.id);
        seqs.push(answer.seq);
        payloads.push(JSON.stringify(answer));
        corrected.push(time.correctedAt);
        flags.push(time.flag);
      }
      // One statement, one transaction, one flush. A concurrent insert of the same answer waits for
      // the other's commit and then does nothing: one row, one `accepted`, one `duplicate`.
      const { rows } = await pool.query<{ answer_id: string }>(
        `INSERT INTO answers (device_id, answer_id, seq, batch_id, payload, received_at, corrected_at, time_flag)
         SELECT $1::uuid, a.id, a.seq, $2::uuid, a.payload, $3::bigint, a.corrected_at, a.flag
         FROM unnest($4::uuid[], $5::bigint[], $6::jsonb[], $7::bigint[], $8::text[]) AS a(id, seq, payload, corrected_at, flag)
         ON CONFLICT DO NOTHING RETURNING answer_id`,
        [batch.device.id, batch.batchId, batch.receivedAt, ids, seqs, payloads, corrected, flags],
      );
      const stored = new Set(rows.map((row) => row.answer_id));
      const accepted: string[] = [];
      const duplicate: string[] = [];
      for (const id of ids) {
        if (stored.delete(id)) accepted.push(id);
        else duplicate.push(id);
      }
      return { accepted, duplicate };
    },
    async heartbeat(beat: Heartbeat, receivedAt: number) {
      await pool.query(
        `INSERT INTO devices (device_id, office, "window", app_version, last_heartbeat_at, outbox_depth, last_error, clock_offset_ms, quarantine_count)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (device_id) DO UPDATE SET office = $2, "window" = $3, app_version = $4, last_heartbeat_at = $5,
           outbox_depth = $6, last_error = $7, clock_offset_ms = $8, quarantine_count = $9`,
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
        ],
      );
    },
    async devices(): Promise<DeviceRow[]> {
      const { rows } = await pool.query(
        `SELECT d.device_id AS id, office, "window", app_version, last_heartbeat_at, outbox_depth, last_error, clock_offset_ms,
           (SELECT count(*) FROM answers a WHERE a.device_id = d.device_id) AS answers
         FROM devices d ORDER BY office, "window"`,
      );
      return rows.map((row: Record<string, unknown>) => ({
        id: row.id as string,
        office: row.office as string | null,
        window: row.window as string | null,
        appVersion: row.app_version as string | null,
        lastHeartbeatAt: row.last_heartbeat_at === null ? null : Number(row.last_heartbeat_at),
        outboxDepth: row.outbox_depth as number | null,
        lastError: row.last_error as string | null,
        clockOffsetMs: row.clock_offset_ms === null ? null : Number(row.clock_offset_ms),
        answers: Number(row.answers),
      }));
    },
    async *exportRows(): AsyncIterable<ExportRow> {
      let after: [string, string] = ['00000000-0000-0000-0000-000000000000', '00000000-0000-0000-0000-000000000000'];
      for (;;) {
        const { rows } = await pool.query(
          `SELECT * FROM answers WHERE (device_id, answer_id) > ($1::uuid, $2::uuid) ORDER BY device_id, answer_id LIMIT 5000`,
          after,
        );
        if (rows.length === 0) return;
        for (const row of rows as Record<string, unknown>[])
          yield {
            deviceId: row.device_id as string,
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
