import type { EventName, EventPayload, MethodName, PultApi } from '../../shared/contract.js';
import { METHOD_NAMES } from '../../shared/vocabulary.js';
import type { Result } from '../../shared/result.js';

/** Says when the page lost the core (true: reached again). Only a shell that can lose it has one. */
export type LinkWatch = (listener: (up: boolean) => void) => () => void;

/** A stream the host closed for good (an error status while it starts) is opened again this often. */
const REOPEN_AFTER_MS = 1_000;

/**
 * PultApi over the browser host: POST /api/<method> for calls, server-sent events for events.
 * Network failures come back as typed `unavailable` errors, like every other failure; the event
 * stream's state is the link's (`link`): it drops when the host process does, and the browser
 * opens it again by itself.
 */
export function createHttpClient(baseUrl: string): PultApi & { link: LinkWatch } {
  const call = async (method: MethodName, input: unknown): Promise<Result<never>> => {
    try {
      const response = await fetch(new URL(`api/${method}`, baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      });
      return (await response.json()) as Result<never>;
    } catch (error) {
      return { ok: false, error: { code: 'unavailable', message: `${method}: ${(error as Error).message}` } };
    }
  };

  let source: EventSource | null = null;
  let subscribed: EventName[] = [];
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const linkListeners = new Set<(up: boolean) => void>();
  const tellLink = (up: boolean) => linkListeners.forEach((listener) => listener(up));
  /** One stream for the events listened to (the core computes nothing for events nobody shows). */
  const connect = (names: EventName[]): EventSource => {
    const url = new URL('api/events', baseUrl);
    url.searchParams.set('events', names.join(','));
    const events = new EventSource(url);
    for (const name of names) {
      events.addEventListener(name, (message) => {
        const payload = JSON.parse((message as MessageEvent<string>).data) as never;
        listeners.get(name)?.forEach((listener) => listener(payload));
      });
    }
    events.addEventListener('open', () => tellLink(true));
    events.addEventListener('error', () => {
      tellLink(false);
      // CONNECTING: the browser retries by itself. CLOSED (an error status): it never will.
      if (events.readyState === EventSource.CLOSED)
        setTimeout(() => {
          if (source === events) source = connect(subscribed);
        }, REOPEN_AFTER_MS);
    });
    return events;
  };

  const methods = Object.fromEntries(METHOD_NAMES.map((name) => [name, (input: unknown) => call(name, input)]));
  return {
    ...(methods as Omit<PultApi, 'on'>),
    link(listener) {
      linkListeners.add(listener);
      return () => linkListeners.delete(listener);
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      if (!subscribed.includes(event)) {
        source?.close();
        subscribed = [...subscribed, event];
        source = connect(subscribed);
      }
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: never) => void);
    },
  };
}
