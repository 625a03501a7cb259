import { z } from 'zod';
import {
  applyQueueEvent,
  QueueEventSchema,
  ratingClosesAt,
  ratingOpen,
  visitKey,
  type QueueEvent,
  type QueueReply,
  type RatingRules,
  type Visit,
} from '../shared/queue.js';
import { fail, ok, type Result } from '../shared/result.js';
import { translateQmatic } from '../shared/queue-qmatic.js';
import { officeDayOf } from '../shared/office-time.js';
import type { Log } from './log.js';

/**
 * The electronic queue's side of the console: the visit at this window as the queue told it,
 * kept in the database's meta table so that a restart in the middle of an open ticket keeps it
 * open for the rest of its window. The same event sent twice is applied once; an event that does
 * not fit (another window, another ticket, out of order) is logged and answered, never thrown.
 */
const VISIT_KEY = 'queue_visit';
const SEEN_KEY = 'queue_seen';
/** Events remembered for "the same event twice": far more than a window sees between two visits. */
const SEEN_EVENTS = 64;

const VisitSchema = z.strictObject({
  ticket: z.string(),
  visitId: z.string().nullable(),
  operatorId: z.string(),
  operatorName: z.string().nullable(),
  serviceId: z.string().nullable(),
  serviceName: z.string().nullable(),
  calledAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
});

export interface QueueMemory {
  read(key: string): string | null;
  write(key: string, value: string): Promise<void>;
}

export type { QueueReply };

export class QueueDesk {
  private visit: Visit | null;
  private readonly seen: string[];

  constructor(
    private readonly deps: {
      memory: QueueMemory;
      windowId: () => string;
      /** The office's zone: a ticket number without a visit id is one ticket per office day. */
      timeZone: () => string;
      rules: () => RatingRules;
      wallMs: () => number;
      log: Log;
      /** The visit changed (`newVisit`: another ticket was called, or the visit ended), or its rating opened or closed. */
      changed: (newVisit: boolean) => void;
      /** A timer on the console's clock: the rating closes by itself `windowMs` after «finished». */
      setTimer: (delayMs: number, fire: () => void) => () => void;
    },
  ) {
    this.visit = parseStored(deps.memory.read(VISIT_KEY), VisitSchema.nullable(), null);
    this.seen = parseStored(deps.memory.read(SEEN_KEY), z.array(z.string()), []);
    this.scheduleClose();
  }

  private cancelClose: () => void = () => undefined;

  /** The screens redraw when the rating's window ends, with no event from the queue. */
  private scheduleClose(): void {
    this.cancelClose();
    const closesAt = ratingClosesAt(this.visit, this.deps.rules());
    const delay = closesAt === null ? -1 : closesAt - this.deps.wallMs();
    if (delay > 0) this.cancelClose = this.deps.setTimer(delay, () => this.deps.changed(false));
  }

  close(): void {
    this.cancelClose();
  }

  /** The visit whose rating is open now, or null. */
  openVisit(): Visit | null {
    return ratingOpen(this.visit, this.deps.rules(), this.deps.wallMs()) ? this.visit : null;
  }

  /**
   * One rating per ticket: the key of the visit whose rating is open (its visit id, else its
   * ticket on this office day), or null. The first response stored under a key is the ticket's
   * rating; storage takes the claim in the answer's own transaction (core/storage/claims.ts), so a
   * later response for the same ticket is stored flagged `repeat`.
   */
  claimKey(): string | null {
    const visit = this.openVisit();
    return visit && visitKey(visit, officeDayOf(this.deps.wallMs(), this.deps.timeZone()));
  }

  /** The names the queue gives operators and services, for the supervisor's operators' tab (behind the PIN). */
  private async rememberNames(event: QueueEvent): Promise<void> {
    const names: [string, string | undefined][] = [
      [`name:operator:${event.operatorId}`, event.operatorName],
      [`name:service:${event.serviceId ?? ''}`, event.serviceId === undefined ? undefined : event.serviceName],
    ];
    for (const [key, name] of names)
      if (name !== undefined && this.deps.memory.read(key) !== name) await this.deps.memory.write(key, name);
  }

  /** An event an adapter had no use for (a vendor's event with no meaning here): logged and answered. */
  ignored(name: string, reason: 'other_window' | 'not_mapped'): QueueReply {
    this.deps.log.info({ name, reason }, 'queue event ignored');
    return { outcome: 'ignored', reason, ratingOpenFor: this.openVisit()?.ticket ?? null };
  }

  async apply(event: QueueEvent): Promise<QueueReply> {
    const key = JSON.stringify(event);
    const reply = (outcome: QueueReply['outcome'], reason: QueueReply['reason'] = null): QueueReply => ({
      outcome,
      reason,
      ratingOpenFor: this.openVisit()?.ticket ?? null,
    });
    if (this.seen.includes(key)) return reply('repeated');
    const step = applyQueueEvent(this.visit, event, this.deps.wallMs(), this.deps.windowId());
    this.seen.push(key);
    if (this.seen.length > SEEN_EVENTS) this.seen.shift();
    if (!step.applied) {
      this.deps.log.info({ type: event.type, ticket: event.ticket, reason: step.reason }, 'queue event ignored');
      await this.deps.memory.write(SEEN_KEY, JSON.stringify(this.seen));
      return reply('ignored', step.reason);
    }
    await this.rememberNames(event);
    const newVisit = step.visit?.calledAt !== this.visit?.calledAt || step.visit?.ticket !== this.visit?.ticket;
    this.visit = step.visit;
    this.scheduleClose();
    await this.deps.memory.write(VISIT_KEY, JSON.stringify(this.visit));
    await this.deps.memory.write(SEEN_KEY, JSON.stringify(this.seen));
    this.deps.log.info({ type: event.type, ticket: event.ticket }, 'queue event');
    this.deps.changed(newVisit);
    return reply('applied');
  }
}

function parseStored<T>(text: string | null, schema: z.ZodType<T>, fallback: T): T {
  if (text === null) return fallback;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}

/** A queue event as the host received it: parsed by the wire schema, applied, answered — never thrown. */
export async function takeQueueEvent(desk: QueueDesk, input: unknown): Promise<Result<QueueReply>> {
  const event = QueueEventSchema.safeParse(input);
  if (!event.success)
    return fail(
      'invalid_input',
      event.error.issues.map((issue) => `${issue.path.join('.') || 'event'}: ${issue.message}`).join('; '),
    );
  try {
    return ok(await desk.apply(event.data));
  } catch (error) {
    return fail('storage_failure', `the event could not be kept: ${(error as Error).message}`);
  }
}

/** A Qmatic Orchestra event (shared/queue-qmatic.ts) translated, then taken as any other. */
export async function takeQmaticEvent(
  desk: QueueDesk,
  input: unknown,
  servicePoint: string | undefined,
): Promise<Result<QueueReply>> {
  const translated = translateQmatic(input, servicePoint);
  if ('invalid' in translated) return fail('invalid_input', translated.invalid);
  if ('ignored' in translated) return ok(desk.ignored(translated.name, translated.ignored));
  return takeQueueEvent(desk, translated.event);
}
