import { z } from 'zod';
import type { Result } from './result.js';

/**
 * The contract's calls over one WebSocket (`GET /api/calls`), the browser host's fast path: a
 * round trip there took 1.9 ms against 6.2 ms for a `fetch` POST on the benchmark machine, most of
 * a frame (issue 21, b1). The same methods, the same callers' rules and the same replies as
 * `POST /api/<method>`; a screen uses POST while its socket is not open.
 */
export const CallMessageSchema = z.strictObject({
  /** The caller's own number for the call: its reply carries it back. */
  id: z.number().int().nonnegative(),
  method: z.string().min(1).max(64),
  input: z.unknown().optional(),
});
export type CallMessage = z.infer<typeof CallMessageSchema>;

/** The reply to one call: `id` is the call's, or null when the message could not be read at all. */
export interface CallReply {
  id: number | null;
  result: Result<unknown>;
}
