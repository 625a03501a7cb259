import { z } from 'zod';
import type { QueuePoll } from '../shared/config.js';
import type { QueueEvent, QueueEventType } from '../shared/queue.js';
import type { Log } from './log.js';
import type { QueueMemory } from './queue-desk.js';

/**
 * The polling adapter: for a queue system that only offers an HTTP export of its tickets, the
 * console reads the export every `everyMs` and turns each change of a ticket's state at this
 * window into the queue's events (called → started → finished; noshow, transferred). What it
 * applied is kept in the database, so a restart (or the same export read twice) applies nothing
 * twice.
 */
const POLLED_KEY = 'queue_polled';
/** Tickets remembered: more than a window serves in days. */
const REMEMBERED = 2_000;

/** The steps of a visit in order; noshow and transferred end it from wherever it was. */
const STEPS = ['called', 'started', 'finished'] as const;
const ENDED = 3;

type Step = QueueEventType;

/** One ticket of the export, read through the configured field names. */
export interface PolledTicket {
  key: string;
  step: Step;
  event: Omit<QueueEvent, 'type'>;
  at: number;
}

const fieldText = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : typeof value === 'number' ? String(value) : undefined;

const timeOf = (value: unknown): number | undefined => {
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(ms) && ms >= 0 ? Math.round(ms) : undefined;
};

/**
 * The export's tickets at this window (`window` as the export names it: the queue's service point
 * or this console's window id; a ticket with no window field is taken, as from a per-window
 * export). Records that are not tickets, or in a state with no meaning here, are passed over.
 */
export function readExport(body: unknown, poll: QueuePoll, window: string, day: string): PolledTicket[] | { invalid: string } {
  const list = poll.listAt === undefined ? body : (body as Record<string, unknown> | null)?.[poll.listAt];
  if (!Array.isArray(list))
    return { invalid: poll.listAt ? `"${poll.listAt}" is not a list of tickets` : 'the export is not a list of tickets' };
  const { fields, statuses } = poll;
  const stepOf = new Map<string, Step>();
  for (const [step, names] of Object.entries(statuses) as [Step, string[]][]) for (const name of names) stepOf.set(name, step);
  const tickets: PolledTicket[] = [];
  for (const record of list as unknown[]) {
    if (typeof record !== 'object' || record === null) continue;
    const row = record as Record<string, unknown>;
    const at = (name: keyof typeof fields) => fieldText(row[fields[name]]);
    const ticket = at('ticket');
    const operatorId = at('operatorId');
    const step = stepOf.get(at('status') ?? '');
    const recordWindow = at('window');
    if (!ticket || !operatorId || !step || (recordWindow !== undefined && recordWindow !== window)) continue;
    const visitId = at('visitId');
    const optional = (name: 'operatorName' | 'serviceId' | 'serviceName') => {
      const value = at(name);
      return value === undefined ? {} : { [name]: value };
    };
    tickets.push({
      // A ticket number starts again each morning; a visit id does not.
      key: visitId ?? `${day}:${ticket}`,
      step,
      at: timeOf(row[fields.at]) ?? 0,
      event: {
        ticket,
        operatorId,
        ...(visitId && { visitId }),
        ...optional('operatorName'),
        ...optional('serviceId'),
        ...optional('serviceName'),
      },
    });
  }
  return tickets.sort((a, b) => a.at - b.at);
}

const stepIndex = (step: Step): number => (step === 'noshow' || step === 'transferred' ? ENDED : STEPS.indexOf(step));

/**
 * The events that take a ticket from where it was applied to where the export says it is: a
 * ticket first seen finished is called, started and finished; one that went back (a re-call in
 * the export) is left as it is.
 */
export function eventsBetween(applied: number, ticket: PolledTicket): QueueEvent[] {
  const target = stepIndex(ticket.step);
  if (target <= applied) return [];
  const at = ticket.at > 0 ? { at: ticket.at } : {};
  if (target === ENDED) return applied < 0 ? [] : [{ type: ticket.step, ...ticket.event, ...at }];
  return STEPS.slice(applied + 1, target + 1).map((type) => ({ type, ...ticket.event, ...at }));
}

export interface PollDeps {
  poll: QueuePoll;
  window: () => string;
  /** Today on the office clock. */
  day: () => string;
  memory: QueueMemory;
  apply: (event: QueueEvent) => Promise<unknown>;
  fetch: typeof fetch;
  log: Log;
  setTimer: (delayMs: number, fire: () => void) => () => void;
}

/** Starts polling; returns the function that stops it. */
export function startQueuePoll(deps: PollDeps): () => void {
  const stored = z.array(z.tuple([z.string(), z.number().int()])).safeParse(safeJson(deps.memory.read(POLLED_KEY)));
  const applied = new Map(stored.success ? stored.data : []);
  let stopped = false;
  let cancel: () => void = () => undefined;
  let lastProblem: string | null = null;

  const problem = (what: string | null) => {
    if (what === lastProblem) return;
    lastProblem = what;
    if (what) deps.log.warn({ url: deps.poll.url, problem: what }, 'queue export could not be read');
    else deps.log.info({ url: deps.poll.url }, 'queue export read again');
  };

  const once = async (): Promise<void> => {
    const { url, token } = deps.poll;
    const response = await deps.fetch(url, {
      headers: { accept: 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      signal: AbortSignal.timeout(Math.min(deps.poll.everyMs, 10_000)),
    });
    if (!response.ok) return problem(`HTTP ${response.status}`);
    const tickets = readExport(await response.json(), deps.poll, deps.window(), deps.day());
    if ('invalid' in tickets) return problem(tickets.invalid);
    problem(null);
    let changed = false;
    for (const ticket of tickets) {
      const before = applied.get(ticket.key) ?? -1;
      const events = eventsBetween(before, ticket);
      if (events.length === 0) continue;
      deps.log.info({ ticket: ticket.event.ticket, events: events.map((event) => event.type) }, 'queue export moved a ticket on');
      for (const event of events) await deps.apply(event);
      applied.delete(ticket.key); // re-inserted last: the oldest tickets are forgotten first
      applied.set(ticket.key, stepIndex(ticket.step));
      if (applied.size > REMEMBERED) applied.delete(applied.keys().next().value!);
      changed = true;
    }
    if (changed) await deps.memory.write(POLLED_KEY, JSON.stringify([...applied]));
  };

  const loop = () => {
    if (stopped) return;
    once()
      .catch((error: unknown) => problem(error instanceof Error ? error.message : String(error)))
      .finally(() => {
        if (!stopped) cancel = deps.setTimer(deps.poll.everyMs, loop);
      });
  };
  loop();
  return () => {
    stopped = true;
    cancel();
  };
}

function safeJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
