import { randomUUID } from 'node:crypto';
import type { Result } from '../../shared/result.js';
import type { Action, Press, PressReply, SessionView } from '../../shared/session.js';

/** Calls one contract method (in-process `invoke`, or HTTP against a running console). */
export type Call = (method: string, input: unknown) => Promise<Result<unknown>>;

/** A touch on the screen a person sees now: as the applicant screen sends it. */
export const touchOn = (screenId: string, action: Action, id: string = randomUUID()): Press => ({
  id,
  screenId,
  source: 'touch',
  action,
});

/** Over HTTP, as a screen in a browser calls it. */
export const httpCall =
  (baseUrl: string): Call =>
  async (method, input) => {
    const response = await fetch(new URL(`api/${method}`, baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input ?? {}),
    });
    return (await response.json()) as Result<unknown>;
  };

/**
 * An applicant answering a one-question (CSI) console with no settle or guard time: each call reads
 * the screen shown and presses `value` on it. Fails the test on any error.
 */
export async function tap(call: Call, value: number): Promise<PressReply> {
  const session = await call('getSession', {});
  if (!session.ok) throw new Error(`getSession: ${session.error.message}`);
  const reply = await call('press', touchOn((session.value as SessionView).screenId, { type: 'score', value }));
  if (!reply.ok) throw new Error(`press: ${reply.error.message}`);
  return reply.value as PressReply;
}

/**
 * A tap on a console with its real timings: waits (bounded) until the screen has settled — a touch
 * before that is ignored by design (no question is answered before it was seen) — then taps.
 */
export async function tapWhenSettled(call: Call, value: number): Promise<PressReply> {
  for (const since = Date.now(); ;) {
    const session = await call('getSession', {});
    if (session.ok && (session.value as SessionView).settled) break;
    if (Date.now() - since > 10_000) throw new Error('the applicant screen did not settle within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return tap(call, value);
}

/** A console config that takes a tap at any moment: CSI only, no settle, no guard, no burst limit. */
export const QUICK_CONSOLE = {
  flow: [{ type: 'csi' as const }],
  timeouts: { settleMs: 0, guardMs: 0, thanksMs: 500, idleMs: 20_000 },
  misuse: { burstPresses: 0 },
};
