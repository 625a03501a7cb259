import { backoffMs, retryAfterMs } from './backoff.js';

/** What one attempt at sending a packet came to: final (accepted, rejected) or to be tried again. */
export type PacketAttempt =
  | { outcome: 'accepted' | 'rejected'; replyStatus: number; reply: string; atMs: number }
  | { outcome: 'retry'; replyStatus: number | null; reply: string | null; error: string; nextAtMs: number; atMs: number };

/** The packets' outbox as the sender meets it; the core passes it in (sync/ never imports the core). */
export interface PacketPort {
  /** Packs the forms that are ready into new packets, stored before any is sent; how many forms. */
  pack(): Promise<number>;
  /** The oldest packet that is not final (packets go in the order made). */
  next(): Promise<{ id: string; body: string; attempts: number; nextAtMs: number } | null>;
  record(id: string, attempt: PacketAttempt): Promise<void>;
}

export interface PacketSenderOptions {
  endpoint: string;
  port: PacketPort;
  fetch: typeof fetch;
  now: () => number;
  timeoutMs: number;
  random?: () => number;
  /** Told of every attempt (the console logs it; `pult mkgu send` prints it). */
  onAttempt?: (id: string, attempt: PacketAttempt) => void;
}

/** Where a pass stopped: every packet final, or the oldest one not due before `waitUntil`. */
export type PassResult = { done: true; sent: number } | { done: false; sent: number; waitUntil: number };

/**
 * The server's answer as a verdict. 2xx: accepted. 408, 425, 429 and 5xx are the server's
 * trouble, not the packet's: tried again, never before its Retry-After. Any other 4xx refuses the
 * packet as it is: it is kept, quarantined, with the reply, and never sent again by itself.
 */
function verdictOf(status: number): 'accepted' | 'rejected' | 'retry' {
  if (status >= 200 && status < 300) return 'accepted';
  if (status === 408 || status === 425 || status === 429 || status >= 500) return 'retry';
  return status >= 400 ? 'rejected' : 'retry';
}

/**
 * Sends ИАС МКГУ packets with the sync engine's rules: the same bytes on every attempt, backoff
 * with jitter after a failure, the server's Retry-After honoured, a packet the server took never
 * sent again. A reply lost on the way is a failure like any other: the packet goes again, and its
 * forms' foreign-ids (the response ids) let the server know them.
 */
export function createPacketSender(options: PacketSenderOptions) {
  const { port, now } = options;

  async function attempt(packet: { id: string; body: string; attempts: number }): Promise<PacketAttempt> {
    const failures = packet.attempts + 1;
    const retry = (error: string, replyStatus: number | null, reply: string | null, afterMs: number | null): PacketAttempt => ({
      outcome: 'retry',
      replyStatus,
      reply,
      error,
      nextAtMs: now() + (afterMs ?? backoffMs(failures, options.random)),
      atMs: now(),
    });
    let response: Response;
    let reply: string;
    try {
      response = await options.fetch(options.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/xml; charset=utf-8' },
        body: packet.body,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      reply = await response.text();
    } catch (error) {
      return retry((error as Error).message, null, null, null);
    }
    const verdict = verdictOf(response.status);
    if (verdict === 'retry')
      return retry(`HTTP ${response.status}`, response.status, reply, retryAfterMs(response.headers.get('retry-after'), now()));
    return { outcome: verdict, replyStatus: response.status, reply, atMs: now() };
  }

  return {
    /** Packs what is ready, then sends packet after packet until all are final or the oldest must wait. */
    async pass(): Promise<PassResult> {
      await port.pack();
      let sent = 0;
      for (;;) {
        const packet = await port.next();
        if (packet === null) return { done: true, sent };
        if (packet.nextAtMs > now()) return { done: false, sent, waitUntil: packet.nextAtMs };
        const result = await attempt(packet);
        await port.record(packet.id, result);
        options.onAttempt?.(packet.id, result);
        if (result.outcome === 'retry') return { done: false, sent, waitUntil: result.nextAtMs };
        sent += 1;
      }
    },
  };
}

export type PacketSender = ReturnType<typeof createPacketSender>;
