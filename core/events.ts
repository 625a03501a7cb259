import type { EventName, EventPayload } from '../shared/contract.js';

type Listener<E extends EventName> = (payload: EventPayload<E>) => void;

/**
 * The core's events (shared/contract.ts `events`), to whoever listens: a shell forwards them to
 * its screens. `current` gives a state's present value to a new listener at once (the session is
 * a state, not a stream); `listening` lets a costly payload be skipped when nobody shows it.
 */
export class Events {
  private readonly listeners = new Map<EventName, Set<Listener<EventName>>>();

  constructor(private readonly current: { [E in EventName]?: () => EventPayload<E> } = {}) {}

  on<E extends EventName>(event: E, listener: Listener<E>): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener as Listener<EventName>);
    this.listeners.set(event, set);
    const now = this.current[event] as (() => EventPayload<E>) | undefined;
    if (now) listener(now());
    return () => void set.delete(listener as Listener<EventName>);
  }

  listening(event: EventName): boolean {
    return (this.listeners.get(event)?.size ?? 0) > 0;
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    this.listeners.get(event)?.forEach((listener) => listener(payload));
  }
}
