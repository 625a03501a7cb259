import { z } from 'zod';
import { safeText } from './text.js';

/**
 * The electronic queue (СУО) and the console (issue 18, docs/queue.md): what a queue system tells
 * the console about the ticket served at its window, and when that opens the applicant's rating.
 * Pure: the core keeps the visit (core/queue-desk.ts), the host takes the events (POST /queue/v1/events).
 */
export const QUEUE_EVENT_TYPES = ['called', 'started', 'finished', 'noshow', 'transferred'] as const;
export type QueueEventType = (typeof QUEUE_EVENT_TYPES)[number];

const line = (max: number) => safeText().min(1).max(max);

export const QueueEventSchema = z.strictObject({
  type: z.enum(QUEUE_EVENT_TYPES),
  /** As printed on the ticket: «А-123». */
  ticket: line(32),
  /** The queue's own id of this visit, if it has one: a ticket number repeats, a visit does not. */
  visitId: line(64).optional(),
  /** The operator (the clerk at the window) serving the ticket. */
  operatorId: line(64),
  operatorName: line(100).optional(),
  /** The ФРГУ service id and its name, when the queue knows them. */
  serviceId: line(64).optional(),
  serviceName: line(200).optional(),
  /** When it happened (ms since the epoch, the queue's clock); the console's clock if absent. */
  at: z.number().int().min(0).optional(),
  /** The window the event is for; an event for another window is logged and changes nothing. */
  window: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/)
    .optional(),
});
export type QueueEvent = z.output<typeof QueueEventSchema>;

/** What the console answers a queue event (HTTP 200 whatever became of it; 4xx only for a body it cannot read). */
export const QueueReplySchema = z.object({
  ok: z.literal(true),
  value: z.object({
    /** applied; a repeat of an event already applied (nothing changed); or ignored, with why. */
    outcome: z.enum(['applied', 'repeated', 'ignored']),
    /** other_window, not_current (another ticket), out_of_order, not_mapped (a vendor event with no meaning here). */
    reason: z.enum(['other_window', 'not_current', 'out_of_order', 'not_mapped']).nullable(),
    /** The ticket whose rating is open now, or null. */
    ratingOpenFor: z.string().nullable(),
  }),
});
export type QueueReply = z.output<typeof QueueReplySchema>['value'];

/** A refused request: what is wrong, in words for the queue system's log. */
export const QueueErrorSchema = z.object({
  ok: z.literal(false),
  error: z.object({ code: z.string(), message: z.string() }),
});

export const QUEUE_MODES = ['free', 'bound', 'required'] as const;
export type QueueMode = (typeof QUEUE_MODES)[number];

/** The visit at this window as the queue told it: the ticket being served, or just served. */
export interface Visit {
  ticket: string;
  visitId: string | null;
  operatorId: string;
  operatorName: string | null;
  serviceId: string | null;
  serviceName: string | null;
  /** Each step's time, ms since the epoch on the console's clock. */
  calledAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface RatingRules {
  /** The rating opens when service starts, or only when it is finished. */
  rateAfter: 'started' | 'finished';
  /** How long after `finished` the applicant may still rate. */
  windowMs: number;
}

/** Where the visit stands after an event, and what became of the event (the reply to the queue). */
export type VisitStep =
  | { applied: true; visit: Visit | null }
  | { applied: false; reason: 'other_window' | 'not_current' | 'out_of_order'; visit: Visit | null };

/**
 * One event applied to the visit: `called` begins a new visit (the one before is over); the
 * others move the current visit on, and only if they name its ticket (and visit id); `noshow` and
 * `transferred` end it. An event that does not fit is answered and changes nothing.
 */
export function applyQueueEvent(visit: Visit | null, event: QueueEvent, atMs: number, windowId: string): VisitStep {
  if (event.window !== undefined && event.window !== windowId) return { applied: false, reason: 'other_window', visit };
  const at = event.at ?? atMs;
  if (event.type === 'called')
    return {
      applied: true,
      visit: {
        ticket: event.ticket,
        visitId: event.visitId ?? null,
        operatorId: event.operatorId,
        operatorName: event.operatorName ?? null,
        serviceId: event.serviceId ?? null,
        serviceName: event.serviceName ?? null,
        calledAt: at,
        startedAt: null,
        finishedAt: null,
      },
    };
  const same =
    visit !== null && visit.ticket === event.ticket && (event.visitId === undefined || visit.visitId === event.visitId);
  if (!same) return { applied: false, reason: 'not_current', visit };
  if (event.type === 'noshow' || event.type === 'transferred') return { applied: true, visit: null };
  if (event.type === 'started') {
    if (visit.finishedAt !== null) return { applied: false, reason: 'out_of_order', visit };
    return {
      applied: true,
      visit: {
        ...visit,
        startedAt: visit.startedAt ?? at,
        serviceId: event.serviceId ?? visit.serviceId,
        serviceName: event.serviceName ?? visit.serviceName,
      },
    };
  }
  return { applied: true, visit: { ...visit, startedAt: visit.startedAt ?? at, finishedAt: visit.finishedAt ?? at } };
}

/** Is the rating open for this visit now? From `rateAfter` until `windowMs` after `finished`. */
export function ratingOpen(visit: Visit | null, rules: RatingRules, nowMs: number): boolean {
  if (!visit) return false;
  if (visit.finishedAt !== null) return nowMs < visit.finishedAt + rules.windowMs;
  return rules.rateAfter === 'started' && visit.startedAt !== null;
}

/** When an open rating closes by itself (null: not by time, only by the next event). */
export const ratingClosesAt = (visit: Visit | null, rules: RatingRules): number | null =>
  visit?.finishedAt != null ? visit.finishedAt + rules.windowMs : null;

/**
 * What makes two ratings «for the same ticket»: the queue's visit id, else the ticket on that
 * office day (a ticket number starts again each morning). The first response for a key counts; a
 * later one is stored flagged `repeat`.
 */
export const visitKey = (visit: Pick<Visit, 'ticket' | 'visitId'>, officeDay: string): string =>
  visit.visitId !== null ? `visit:${visit.visitId}` : `ticket:${officeDay}:${visit.ticket}`;
