import type Database from 'better-sqlite3';
import { MKGU_QUESTIONS } from '../../shared/answer.js';
import type { PacketAttempt } from '../../sync/mkgu-sender.js';
import { metaTable } from './meta.js';

/** The last answer (seq) whose response was packed, or passed over for good. */
const PACKED_SEQ = 'mkgu_packed_seq';
/** A reply kept as it came, up to this many characters. */
export const MKGU_REPLY_KEPT = 65_536;
/** An accepted packet's request is kept this long after acceptance, then only its figures and reply. */
const ACCEPTED_BODY_KEPT_MS = 30 * 86_400_000;

/** One form of the packet: a response's criteria as the applicant rated them. */
export interface MkguFormEntry {
  responseId: string;
  /** The first rating's time (device clock), ms. */
  atMs: number;
  serviceId: string | null;
  ticket: string | null;
  rates: { indicator: number; score: number }[];
}

export interface CriterionRow {
  seq: number;
  response_id: string;
  question: string;
  value: number;
  service_id: string | null;
  ticket: string | null;
  created_at_ms: number;
}

/** Counted criteria answers (never misuse or repeats), grouped into forms by response, in the order given. */
export function formsFrom(rows: readonly CriterionRow[]): MkguFormEntry[] {
  const forms = new Map<string, MkguFormEntry>();
  for (const row of rows) {
    const form = forms.get(row.response_id) ?? {
      responseId: row.response_id,
      atMs: row.created_at_ms,
      serviceId: row.service_id,
      ticket: row.ticket,
      rates: [],
    };
    form.rates.push({ indicator: Number(row.question.slice('mkgu_'.length)), score: row.value });
    forms.set(row.response_id, form);
  }
  return [...forms.values()];
}

export const CRITERION_COLUMNS = 'seq, response_id, question, value, service_id, ticket, created_at_ms';
export const COUNTED_CRITERIA = `flags = '[]' AND question IN (${MKGU_QUESTIONS.map((q) => `'${q}'`).join(', ')})`;

export type MkguPacketStatus = 'pending' | 'accepted' | 'rejected';

/** A packet as `pult mkgu status` lists it. */
export interface MkguPacketRow {
  id: string;
  createdAtMs: number;
  forms: number;
  status: MkguPacketStatus;
  attempts: number;
  nextAtMs: number;
  lastError: string | null;
  replyStatus: number | null;
  reply: string | null;
  settledAtMs: number | null;
}

/** Forms ready to pack: whole responses, the cursor they move to, and those passed over (already in a packet). */
export interface ReadyForms {
  forms: MkguFormEntry[];
  afterSeq: number;
  untilSeq: number;
}

/**
 * The federal packets' outbox (migration 11). A response becomes a form once it is over (nothing
 * added to it for `quietMs`); each form goes into one packet, ever (mkgu_forms), and a packet is
 * stored with its exact bytes before its first attempt, so a resend after a crash or a lost reply
 * is the same request. Only the server's verdict makes a packet final.
 */
export function mkguOutbox(db: Database.Database) {
  const meta = metaTable(db);
  const criteria = db.prepare(
    `SELECT ${CRITERION_COLUMNS} FROM answers WHERE seq > ? AND ${COUNTED_CRITERIA} ORDER BY seq LIMIT ?`,
  );
  const packedBefore = db.prepare('SELECT 1 FROM mkgu_forms WHERE response_id = ?').pluck();
  const insertPacket = db.prepare(
    "INSERT INTO mkgu_packets (id, created_at_ms, forms, body, status) VALUES (?, ?, ?, ?, 'pending')",
  );
  const insertForm = db.prepare('INSERT INTO mkgu_forms (response_id, packet_id) VALUES (?, ?)');
  const oldestPending = db.prepare(
    "SELECT id, body, attempts, next_at_ms AS nextAtMs FROM mkgu_packets WHERE status = 'pending' ORDER BY created_at_ms, id LIMIT 1",
  );
  const settle = db.prepare(
    'UPDATE mkgu_packets SET status = ?, attempts = attempts + 1, reply_status = ?, reply = ?, last_error = NULL, settled_at_ms = ? WHERE id = ?',
  );
  const retry = db.prepare(
    'UPDATE mkgu_packets SET attempts = attempts + 1, reply_status = ?, reply = ?, last_error = ?, next_at_ms = ? WHERE id = ?',
  );
  const dropBodies = db.prepare(
    "UPDATE mkgu_packets SET body = NULL WHERE status = 'accepted' AND body IS NOT NULL AND settled_at_ms < ?",
  );
  const restorePacket = db.prepare(
    `INSERT OR IGNORE INTO mkgu_packets (id, created_at_ms, forms, body, status, attempts, next_at_ms, last_error, reply_status, reply, settled_at_ms)
     VALUES (@id, @created_at_ms, @forms, @body, @status, @attempts, @next_at_ms, @last_error, @reply_status, @reply, @settled_at_ms)`,
  );
  const restoreForm = db.prepare('INSERT OR IGNORE INTO mkgu_forms (response_id, packet_id) VALUES (?, ?)');
  const pendingCount = db.prepare("SELECT count(*) FROM mkgu_packets WHERE status = 'pending'").pluck();
  const cursor = () => Number(meta.read(PACKED_SEQ) ?? 0);

  return {
    /**
     * The next forms to pack, at most `maxForms`: responses whose last criterion is older than
     * `quietBeforeMs`, in order; it stops at the first response still going on, so none is split.
     */
    ready(maxForms: number, quietBeforeMs: number): ReadyForms {
      const afterSeq = cursor();
      // A response has at most five criteria: this many rows always hold maxForms whole responses.
      const limit = (maxForms + 1) * MKGU_QUESTIONS.length;
      const rows = criteria.all(afterSeq, limit) as CriterionRow[];
      const span = new Map<string, { first: number; last: CriterionRow }>();
      for (const row of rows) span.set(row.response_id, { first: span.get(row.response_id)?.first ?? row.seq, last: row });
      const forms: MkguFormEntry[] = [];
      let untilSeq = rows.at(-1)?.seq ?? afterSeq;
      for (const form of formsFrom(rows)) {
        const { first, last } = span.get(form.responseId)!;
        // Still going on, or cut by the limit: it and everything after it wait for the next pass.
        const waits =
          last.created_at_ms >= quietBeforeMs || (rows.length === limit && last === rows.at(-1)) || forms.length === maxForms;
        if (waits) {
          untilSeq = first - 1;
          break;
        }
        // A late answer of a response already sent (the clock jumped): its form went once, as it was.
        if (packedBefore.get(form.responseId) === undefined) forms.push(form);
      }
      return { forms, afterSeq, untilSeq };
    },
    /** Stores a packet and its forms, and moves the cursor — only if no one packed these forms meanwhile. */
    keep: db.transaction((packet: { id: string; body: string | null; ready: ReadyForms; atMs: number }): boolean => {
      if (cursor() !== packet.ready.afterSeq) return false;
      if (packet.body !== null) {
        insertPacket.run(packet.id, packet.atMs, packet.ready.forms.length, packet.body);
        for (const form of packet.ready.forms) insertForm.run(form.responseId, packet.id);
      }
      meta.write(PACKED_SEQ, String(packet.ready.untilSeq));
      return true;
    }),
    /** The oldest packet not final: sent in the order made. */
    next: (): { id: string; body: string; attempts: number; nextAtMs: number } | null =>
      (oldestPending.get() as { id: string; body: string; attempts: number; nextAtMs: number } | undefined) ?? null,
    record(id: string, attempt: PacketAttempt): void {
      const reply = attempt.reply === null ? null : attempt.reply.slice(0, MKGU_REPLY_KEPT);
      if (attempt.outcome === 'retry') retry.run(attempt.replyStatus, reply, attempt.error, attempt.nextAtMs, id);
      else settle.run(attempt.outcome, attempt.replyStatus, reply, attempt.atMs, id);
    },
    pending: (): number => pendingCount.get() as number,
    /** Packets read from a damaged file: kept as they were, so their forms are not packed again. */
    restore: db.transaction(
      (salvaged: { packets: Record<string, unknown>[]; forms: { response_id: string; packet_id: string }[] }): void => {
        for (const packet of salvaged.packets) restorePacket.run(packet);
        for (const form of salvaged.forms) restoreForm.run(form.response_id, form.packet_id);
      },
    ),
    prune: (nowMs: number): number => dropBodies.run(nowMs - ACCEPTED_BODY_KEPT_MS).changes,
  };
}

/** The packets, newest first, for `pult mkgu status` (read-only, beside a running console). */
export function mkguPackets(db: Database.Database, limit: number): MkguPacketRow[] {
  return db
    .prepare(
      `SELECT id, created_at_ms AS createdAtMs, forms, status, attempts, next_at_ms AS nextAtMs, last_error AS lastError,
              reply_status AS replyStatus, reply, settled_at_ms AS settledAtMs
         FROM mkgu_packets ORDER BY created_at_ms DESC, id DESC LIMIT ?`,
    )
    .all(limit) as MkguPacketRow[];
}

/** The request of one packet, as it was sent (null once dropped, a month after acceptance). */
export function mkguRequest(db: Database.Database, id: string): string | null | undefined {
  const row = db.prepare('SELECT body FROM mkgu_packets WHERE id = ?').get(id) as { body: string | null } | undefined;
  return row?.body;
}
