import type { EventName, EventPayload } from '../shared/contract.js';
import type { Result } from '../shared/result.js';
import type { Caller } from './supervisor/access.js';
import type { QueueReply } from './queue-desk.js';

/**
 * What a shell sees of the core: a call by method name with untrusted input, the events, and
 * close. Nothing else — no class, no storage, no session — so the core can move out of the shell's
 * process (an Electron utilityProcess behind a MessagePort) without either shell changing: every
 * input and output here is plain data, parsed by the contract's schemas.
 */
export interface CoreLink {
  /** A contract method (shared/contract.ts); `caller` says where the call came from (the console's own screen by default). */
  invoke(method: string, input: unknown, caller?: Caller): Promise<Result<unknown>>;
  /** Subscribes to a core event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** An event from the electronic queue (`POST /queue/v1/events`, the host checks who sent it). */
  /** An event from the electronic queue, in Pult's format or a vendor's (shared/queue-qmatic.ts). */
  queueEvent(input: unknown, format?: 'pult' | 'qmatic'): Promise<Result<QueueReply>>;
  close(): Promise<void>;
}
