import type { EventName, EventPayload, MethodName, PultApi } from '../../shared/contract.js';
import { CALL_SOCKET_PATH, METHOD_NAMES } from '../../shared/vocabulary.js';
import type { CallMessage, CallReply } from '../../shared/call-socket.js';
import type { Result } from '../../shared/result.js';

/** Says when the page lost the core (true: reached again). Only a shell that can lose it has one. */
export type LinkWatch = (listener: (up: boolean) => void) => () => void;

/** A stream the host closed for good (an error status while it starts) is opened again this often. */
const REOPEN_AFTER_MS = 1_000;

const unavailable = (method: string, why: string): Result<never> => ({
  ok: false,
  error: { code: 'unavailable', message: `${method}: ${why}` },
});

/**
 * The host's call socket (shared/call-socket.ts), opened at once and again whenever it closes.
 * `call` gives null while it is not open: the caller posts instead, so nothing waits for it. A
 * call cut off by a close is answered `unavailable`, as a failed POST is: a press is then sent
 * again with its id, and applied once.
 */
function callSocket(baseUrl: string) {
  const url = new URL(CALL_SOCKET_PATH, baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  let socket: WebSocket | null = null;
  let nextId = 0;
  const waiting = new Map<number, { method: string; settle(result: Result<never>): void }>();
  const open = () => {
    const opened = new WebSocket(url);
    opened.addEventListener('message', (message) => {
      const reply = JSON.parse(message.data as string) as CallReply;
      const call = reply.id === null ? undefined : waiting.get(reply.id);
      if (!call) return;
      waiting.delete(reply.id!);
      call.settle(reply.result as Result<never>);
    });
    opened.addEventListener('close', () => {
      for (const [id, call] of waiting) {
        waiting.delete(id);
        call.settle(unavailable(call.method, 'the connection to the console closed'));
      }
      setTimeout(open, REOPEN_AFTER_MS);
    });
    socket = opened;
  };
  open();
  return (method: MethodName, input: unknown): Promise<Result<never>> | null => {
    if (socket?.readyState !== WebSocket.OPEN) return null;
    const message: CallMessage = { id: nextId++, method, input: input ?? {} };
    const sent = socket;
    return new Promise((settle) => {
      waiting.set(message.id, { method, settle });
      sent.send(JSON.stringify(message));
    });
  };
}

/**
 * PultApi over the browser host: calls over its WebSocket while that is open, else POST
 * /api/<method>; server-sent events for events. Network failures come back as typed
 * `unavailable` errors, like every other failure; the event stream's state is the link's
 * (`link`): it drops when the host process does, and the browser opens it again by itself.
 */
export function createHttpClient(baseUrl: string): PultApi & { link: LinkWatch } {
  const overSocket = callSocket(baseUrl);
  const post = async (method: MethodName, input: unknown): Promise<Result<never>> => {
    try {
      const response = await fetch(new URL(`api/${method}`, baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      });
      return (await response.json()) as Result<never>;
    } catch (error) {
      return unavailable(method, (error as Error).message);
    }
  };
  const call = (method: MethodName, input: unknown) => overSocket(method, input) ?? post(method, input);

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
