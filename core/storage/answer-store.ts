import type Database from 'better-sqlite3';
import type { ParsedAnswer } from '../../shared/answer.js';

/** Everything the core stamps on an answer besides what the screen sent. */
export interface AnswerStamp {
  id: string;
  officeId: string;
  windowId: string;
  operatorId: string | null;
  createdAtMs: number;
  monoMs: number;
  bootId: string;
}

export interface StoredAnswerRow {
  seq: number;
  id: string;
  response_id: string;
  question: string;
  value: number | null;
  reasons: string | null;
  comment: string | null;
  locale: string;
  source: string;
  flags: string;
  office_id: string;
  window_id: string;
  operator_id: string | null;
  ticket: string | null;
  created_at_ms: number;
  mono_ms: number;
  boot_id: string;
}

/** Splits a timestamp into the office's local day and hour, for the rollups. */
export function localDayAndHour(timeZone: string): (ms: number) => { day: string; hour: number } {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  });
  return (ms) => {
    const parts: Record<string, string> = {};
    for (const part of format.formatToParts(ms)) parts[part.type] = part.value;
    return { day: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
  };
}

/** Values a rollup counts: the score, or each chosen reason of a follow-up. */
function rollupValues(answer: ParsedAnswer): string[] {
  return answer.question === 'reasons' ? answer.reasons : [String(answer.value)];
}

export class AnswerStore {
  private readonly insertAnswer;
  private readonly insertOutbox;
  private readonly bumpRollup;
  private readonly countAnswers;
  private readonly countOutbox;
  private readonly lastAnswerAt;
  private readonly dayAndHour;

  constructor(
    private readonly db: Database.Database,
    timeZone: string,
  ) {
    this.insertAnswer = db.prepare(`
      INSERT INTO answers (id, response_id, question, value, reasons, comment, locale, source, flags,
                           office_id, window_id, operator_id, ticket, created_at_ms, mono_ms, boot_id)
      VALUES (@id, @responseId, @question, @value, @reasons, @comment, @locale, @source, @flags,
              @officeId, @windowId, @operatorId, @ticket, @createdAtMs, @monoMs, @bootId)`);
    this.insertOutbox = db.prepare('INSERT INTO outbox (seq) VALUES (?)');
    this.bumpRollup = db.prepare(`
      INSERT INTO rollups (window_id, day, hour, question, value, count) VALUES (?, ?, ?, ?, ?, 1)
      ON CONFLICT (window_id, day, hour, question, value) DO UPDATE SET count = count + 1`);
    this.countAnswers = db.prepare('SELECT count(*) AS n FROM answers').pluck();
    this.countOutbox = db.prepare('SELECT count(*) AS n FROM outbox').pluck();
    this.lastAnswerAt = db.prepare('SELECT max(created_at_ms) FROM answers').pluck();
    this.dayAndHour = localDayAndHour(timeZone);
  }

  /**
   * Appends the answer, its outbox entry and its rollup counts in ONE transaction: all or none.
   * Returns after COMMIT, which with WAL + synchronous=FULL means the answer is on disk.
   */
  readonly append = (answer: ParsedAnswer, stamp: AnswerStamp): { seq: number; id: string } =>
    this.db
      .transaction(() => {
        const { lastInsertRowid } = this.insertAnswer.run({
          ...stamp,
          responseId: answer.responseId,
          question: answer.question,
          value: answer.question === 'reasons' ? null : answer.value,
          reasons: answer.question === 'reasons' ? JSON.stringify(answer.reasons) : null,
          comment: answer.question === 'reasons' ? (answer.comment ?? null) : null,
          locale: answer.locale,
          source: answer.source,
          flags: JSON.stringify(answer.flags),
          ticket: answer.ticket ?? null,
        });
        const seq = Number(lastInsertRowid);
        this.insertOutbox.run(seq);
        // Misuse is kept as evidence but never counted in statistics.
        if (answer.flags.length === 0) {
          const { day, hour } = this.dayAndHour(stamp.createdAtMs);
          for (const value of rollupValues(answer)) this.bumpRollup.run(stamp.windowId, day, hour, answer.question, value);
        }
        return { seq, id: stamp.id };
      })
      .immediate();

  counts(): { answersStored: number; outboxPending: number; lastAnswerAtMs: number | null } {
    return {
      answersStored: this.countAnswers.get() as number,
      outboxPending: this.countOutbox.get() as number,
      lastAnswerAtMs: (this.lastAnswerAt.get() as number | null) ?? null,
    };
  }

  readMeta(key: string): string | null {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
    return row ?? null;
  }

  /** Writes a meta value only if the key is new; returns the value that is stored. */
  initMeta(key: string, value: string): string {
    this.db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run(key, value);
    return this.readMeta(key) ?? value;
  }
}

/** Every stored answer in seq order, optionally within [fromMs, toMs): the source of exports. */
export function iterateAnswers(
  db: Database.Database,
  range: { fromMs?: number; toMs?: number },
): IterableIterator<StoredAnswerRow> {
  return db.prepare(`SELECT * FROM answers WHERE created_at_ms >= @from AND created_at_ms < @to ORDER BY seq`).iterate({
    from: range.fromMs ?? Number.MIN_SAFE_INTEGER,
    to: range.toMs ?? Number.MAX_SAFE_INTEGER,
  }) as IterableIterator<StoredAnswerRow>;
}
