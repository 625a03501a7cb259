import type Database from 'better-sqlite3';
import { answersTable, type AnswerRow } from './answers.js';
import { claimsTable } from './claims.js';
import { outboxTable } from './outbox.js';
import { pressesTable } from './presses.js';
import { rollupsTable } from './rollups.js';

export interface Appended {
  seq: number;
  id: string;
  /** This press, or the same question of the same response, was stored before: nothing new was written. */
  replayed: boolean;
}

/**
 * The tap's write: the answer, its outbox entry and its rollup counts in ONE transaction — all or
 * none. Returns after COMMIT, which with WAL + synchronous=FULL means the answer is on disk.
 * Nothing here reads more as the tables grow: an indexed look-up, appends, counter triggers.
 */
export function ledger(db: Database.Database, timeZone: string) {
  const answers = answersTable(db);
  const outbox = outboxTable(db);
  const rollups = rollupsTable(db, timeZone);
  const presses = pressesTable(db);
  const claims = claimsTable(db);

  /** A counted answer for a queue visit another response already rated is kept flagged `repeat`. */
  const claimed = (row: AnswerRow, claim: string | undefined): AnswerRow =>
    claim === undefined || row.flags !== '[]' || claims.take(claim, row.response_id, row.created_at_ms)
      ? row
      : { ...row, flags: '["repeat"]' };

  const write = (row: AnswerRow): number => {
    const seq = answers.insert(row);
    outbox.enqueue(seq);
    rollups.count(row);
    return seq;
  };

  const append = db.transaction((row: AnswerRow, pressId: string, claim?: string): Appended => {
    const pressed = presses.storedBy(pressId);
    if (pressed !== undefined) return { seq: pressed, id: answers.idAt(pressed), replayed: true };
    // A response answers each question once (misuse is a press of its own, never a response's answer).
    const earlier = row.flags !== '["misuse"]' ? answers.findAnswered(row.response_id, row.question) : undefined;
    if (earlier) return { ...earlier, replayed: true };
    const seq = write(claimed(row, claim));
    presses.remember(pressId, seq);
    return { seq, id: row.id, replayed: false };
  });

  /** Answers read back from a damaged file: each id once, however often salvage runs. */
  const appendRecovered = db.transaction((rows: Iterable<AnswerRow>): number => {
    let added = 0;
    for (const row of rows) {
      if (answers.hasId(row.id)) continue;
      write(row);
      added++;
    }
    return added;
  });

  /**
   * An answer acknowledged a moment ago, after the file was rebuilt under it: stored again (with
   * its press) unless the rebuilt file already holds it. Its seq in this file.
   */
  const keep = db.transaction((row: AnswerRow, pressId: string, claim?: string): number => {
    const held = answers.seqOf(row.id);
    if (held !== undefined) return held;
    const seq = write(claimed(row, claim));
    presses.remember(pressId, seq);
    return seq;
  });

  return {
    /** `claim`: the queue visit this answer would rate (one rating per ticket), if one is open. */
    append: (row: AnswerRow, pressId: string, claim?: string): Appended => append.immediate(row, pressId, claim),
    keep: (row: AnswerRow, pressId: string, claim?: string): number => keep.immediate(row, pressId, claim),
    prune: (nowMs: number): void => void (presses.prune(), claims.prune(nowMs)),
    storedBy: (pressId: string): { id: string; seq: number } | null => {
      const seq = presses.storedBy(pressId);
      return seq === undefined ? null : { seq, id: answers.idAt(seq) };
    },
    appendRecovered: (rows: Iterable<AnswerRow>): number => appendRecovered.immediate(rows),
    lastCreatedAtMs: answers.lastCreatedAtMs,
  };
}
