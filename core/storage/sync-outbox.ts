import { newId } from '../ids.js';
import type Database from 'better-sqlite3';
import {
  MAX_BATCH_ANSWERS,
  MAX_BATCH_BYTES,
  WIRE_SCHEMA_VERSION,
  type BatchVerdict,
  type WireAnswer,
  type WireDevice,
} from '../../shared/wire.js';
import { ANSWER_COLUMNS, type StoredAnswerRow } from './answers.js';
import { metaTable } from './meta.js';
import { outboxTable } from './outbox.js';

/** An answer row as the wire protocol carries it (fields the console does not have are left out). */
export function toWireAnswer(row: StoredAnswerRow): WireAnswer {
  const common = {
    id: row.id,
    seq: row.seq,
    responseId: row.response_id,
    locale: row.locale,
    source: row.source,
    flags: JSON.parse(row.flags) as ['misuse'] | [],
    createdAt: row.created_at_ms,
    monoMs: row.mono_ms,
    bootId: row.boot_id,
    ...(row.ticket !== null && { ticket: row.ticket }),
    ...(row.operator_id !== null && { operator: row.operator_id }),
    ...(row.service_id !== null && { service: row.service_id }),
    ...(row.recovered_from !== null && { recoveredFrom: row.recovered_from }),
  };
  if (row.question === 'reasons')
    return {
      question: 'reasons',
      reasons: JSON.parse(row.reasons ?? '[]') as never,
      ...(row.comment !== null && { comment: row.comment }),
      ...common,
    } as WireAnswer;
  if (row.question === 'comment') return { question: 'comment', comment: row.comment ?? '', ...common } as WireAnswer;
  return { question: row.question, value: row.value, ...common } as WireAnswer;
}

export interface OpenBatch {
  batchId: string;
  /** The exact bytes to send (and to resend). */
  body: string;
  answers: number;
}

/**
 * The outbox as the uploader (sync/) sees it. A batch, once made, is stored with its bytes and
 * its answers are marked with its id, so a resend after a crash or a lost reply is the same
 * batch. Only a verdict removes rows from the outbox: accepted and duplicate answers are
 * delivered, rejected ones move to quarantine (never deleted).
 */
export function syncOutbox(db: Database.Database) {
  const meta = metaTable(db);
  const outbox = outboxTable(db);
  const openBatch = db.prepare(
    'SELECT b.batch_id AS batchId, b.body, b.answers FROM batches b WHERE EXISTS (SELECT 1 FROM outbox o WHERE o.batch_id = b.batch_id) ORDER BY b.created_at_ms LIMIT 1',
  );
  const unsent = db.prepare(
    `SELECT o.seq, ${ANSWER_COLUMNS.map((c) => `a.${c}`).join(', ')} FROM outbox o JOIN answers a ON a.seq = o.seq
     WHERE o.batch_id IS NULL ORDER BY o.seq LIMIT ?`,
  );
  const insertBatch = db.prepare('INSERT INTO batches (batch_id, body, answers, created_at_ms) VALUES (?, ?, ?, ?)');
  // The batch is the first unbatched rows in seq order, so "unbatched up to its last seq" is exactly it.
  const mark = db.prepare('UPDATE outbox SET batch_id = ? WHERE batch_id IS NULL AND seq <= ?');
  const deliverAll = db.prepare(
    'DELETE FROM outbox WHERE batch_id = ? AND seq IN (SELECT a.seq FROM json_each(?) j JOIN answers a ON a.id = j.value)',
  );
  const seqOf = db.prepare('SELECT seq FROM answers WHERE id = ?').pluck();
  const deliver = db.prepare('DELETE FROM outbox WHERE seq = ? AND batch_id = ?');
  const toQuarantine = db.prepare('INSERT OR IGNORE INTO quarantine (seq, reason, at_ms) VALUES (?, ?, ?)');
  const release = db.prepare('UPDATE outbox SET batch_id = NULL WHERE batch_id = ?');
  const dropBatch = db.prepare('DELETE FROM batches WHERE batch_id = ?');
  const batchSeqs = db.prepare('SELECT seq FROM outbox WHERE batch_id = ?').pluck();

  const next = db.transaction(
    (max: number, device: WireDevice, sentAt: number, clockOffsetMs: number | null): OpenBatch | null => {
      const pending = openBatch.get() as OpenBatch | undefined;
      if (pending) return pending;
      const rows = unsent.all(Math.min(max, MAX_BATCH_ANSWERS)) as StoredAnswerRow[];
      if (rows.length === 0) return null;
      const batchId = newId();
      let answers = rows.map(toWireAnswer);
      const bodyOf = (list: WireAnswer[]) =>
        JSON.stringify({
          schema: WIRE_SCHEMA_VERSION,
          device,
          batchId,
          sentAt,
          ...(clockOffsetMs !== null && { clockOffsetMs }),
          answers: list,
        });
      let body = bodyOf(answers);
      while (Buffer.byteLength(body) > MAX_BATCH_BYTES && answers.length > 1) {
        answers = answers.slice(0, Math.ceil(answers.length / 2));
        body = bodyOf(answers);
      }
      insertBatch.run(batchId, body, answers.length, sentAt);
      mark.run(batchId, answers.at(-1)!.seq);
      return { batchId, body, answers: answers.length };
    },
  );

  const removeIfEmpty = (batchId: string) => {
    if (batchSeqs.all(batchId).length === 0) dropBatch.run(batchId);
  };

  const settle = db.transaction((batchId: string, verdict: BatchVerdict, atMs: number) => {
    deliverAll.run(batchId, JSON.stringify([...verdict.accepted, ...verdict.duplicate]));
    for (const { id, reason } of verdict.rejected) {
      const seq = seqOf.get(id) as number | undefined;
      if (seq === undefined) continue;
      toQuarantine.run(seq, reason, atMs);
      deliver.run(seq, batchId);
    }
    // Answers the verdict did not mention were not delivered: they go out again in a new batch.
    release.run(batchId);
    dropBatch.run(batchId);
    meta.write('sync_last_ack_at_ms', String(atMs));
  });

  const quarantineBatch = db.transaction((batchId: string, reason: string, atMs: number) => {
    for (const seq of batchSeqs.all(batchId) as number[]) {
      toQuarantine.run(seq, reason, atMs);
      deliver.run(seq, batchId);
    }
    removeIfEmpty(batchId);
  });

  const dissolve = db.transaction((batchId: string) => {
    release.run(batchId);
    dropBatch.run(batchId);
  });

  return {
    next: (max: number, device: WireDevice, sentAt: number, clockOffsetMs: number | null) =>
      next.immediate(max, device, sentAt, clockOffsetMs),
    settle: (batchId: string, verdict: BatchVerdict, atMs: number) => settle.immediate(batchId, verdict, atMs),
    quarantine: (batchId: string, reason: string, atMs: number) => quarantineBatch.immediate(batchId, reason, atMs),
    dissolve: (batchId: string) => dissolve.immediate(batchId),
    oldestUnsentAt: outbox.oldestUnsentAt,
  };
}
