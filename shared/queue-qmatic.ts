import { z } from 'zod';
import type { QueueEvent, QueueEventType } from './queue.js';

/**
 * Qmatic Orchestra's visit events → the console's queue events (docs/queue.md, «Qmatic»).
 * Orchestra publishes an event per step of a visit — its name (`VISIT_CALL`…), a time stamp and
 * parameters (the visit id, the ticket, the service point, the service, the staff member). The
 * names below are those of Orchestra's published event list as far as it could be read here; no
 * live Orchestra was available to check against, so both spellings seen in integrations are taken
 * (`evnt`/`event`, `prm`/`parameters`, `ts`/`timeStamp`, optionally wrapped in `E`).
 */
const MAPPED: Record<string, QueueEventType> = {
  VISIT_CALL: 'called',
  VISIT_RECALL: 'called',
  // The applicant came to the counter: service starts.
  VISIT_CONFIRM: 'started',
  VISIT_END: 'finished',
  VISIT_NOSHOW: 'noshow',
  VISIT_REMOVE: 'noshow',
  VISIT_TRANSFER_TO_QUEUE: 'transferred',
  VISIT_TRANSFER_TO_SERVICE_POINT_POOL: 'transferred',
  VISIT_TRANSFER_TO_USER_POOL: 'transferred',
};

/** An id the queue may send as a number or a string. */
const id = z.union([z.string().min(1).max(64), z.number().int().nonnegative()]).transform(String);
const text = (max: number) => z.string().min(1).max(max);

const ParametersSchema = z.looseObject({
  visitId: id.optional(),
  ticket: text(32).optional(),
  ticketId: text(32).optional(),
  servicePointId: id.optional(),
  serviceId: id.optional(),
  serviceExternalId: id.optional(),
  serviceName: text(200).optional(),
  serviceInternalName: text(200).optional(),
  userId: id.optional(),
  staffId: id.optional(),
  userName: text(100).optional(),
  staffName: text(100).optional(),
});

const BodySchema = z.looseObject({
  evnt: z.string().max(64).optional(),
  event: z.string().max(64).optional(),
  prm: ParametersSchema.optional(),
  parameters: ParametersSchema.optional(),
  ts: z.union([z.string().max(40), z.number()]).optional(),
  timeStamp: z.union([z.string().max(40), z.number()]).optional(),
});

export const QmaticEventSchema = z.union([z.looseObject({ E: BodySchema }).transform((wrapped) => wrapped.E), BodySchema]);

/** What became of an Orchestra event: the console's event, or why it has none. */
export type Translated = { event: QueueEvent } | { ignored: 'not_mapped' | 'other_window'; name: string } | { invalid: string };

const timeOf = (stamp: string | number | undefined): number | undefined => {
  if (stamp === undefined) return undefined;
  const ms = typeof stamp === 'number' ? stamp : Date.parse(stamp);
  return Number.isFinite(ms) && ms >= 0 ? Math.round(ms) : undefined;
};

/**
 * One Orchestra event as the console's: ticket, visit, operator (the staff member: their id, else
 * their name), service (its external id — the ФРГУ id offices keep there — else its id). An event
 * for another service point than `servicePoint` (when configured) is for another window.
 */
export function translateQmatic(input: unknown, servicePoint: string | undefined): Translated {
  const parsed = QmaticEventSchema.safeParse(input);
  if (!parsed.success)
    return { invalid: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'event'}: ${issue.message}`).join('; ') };
  const body = parsed.data;
  const name = body.evnt ?? body.event;
  if (!name) return { invalid: 'evnt: the event has no name (VISIT_CALL, VISIT_END…)' };
  const type = MAPPED[name];
  if (!type) return { ignored: 'not_mapped', name };
  const prm = body.prm ?? body.parameters ?? {};
  if (servicePoint !== undefined && prm.servicePointId !== undefined && prm.servicePointId !== servicePoint)
    return { ignored: 'other_window', name };
  const ticket = prm.ticket ?? prm.ticketId;
  const operatorId = prm.userId ?? prm.staffId ?? prm.userName ?? prm.staffName;
  if (!ticket) return { invalid: 'prm.ticket: the event names no ticket' };
  if (!operatorId) return { invalid: 'prm.userId: the event names no staff member (userId, staffId or userName)' };
  const operatorName = prm.userName ?? prm.staffName;
  const serviceId = prm.serviceExternalId ?? prm.serviceId;
  const serviceName = prm.serviceName ?? prm.serviceInternalName;
  const at = timeOf(body.ts ?? body.timeStamp);
  return {
    event: {
      type,
      ticket,
      operatorId,
      ...(prm.visitId !== undefined && { visitId: prm.visitId }),
      ...(operatorName !== undefined && { operatorName }),
      ...(serviceId !== undefined && { serviceId }),
      ...(serviceName !== undefined && { serviceName }),
      ...(at !== undefined && { at }),
    },
  };
}
