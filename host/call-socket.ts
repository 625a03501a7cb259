import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { CallMessageSchema, type CallReply } from '../shared/call-socket.js';
import { CALL_SOCKET_PATH } from '../shared/vocabulary.js';
import { fail, type Result } from '../shared/result.js';
import type { CoreLink } from '../core/link.js';
import type { Caller } from '../core/supervisor/access.js';

/** What the socket needs of the host: the core, who a request is, and what a caller may call. */
export interface CallSocketDeps {
  core: CoreLink;
  callerOf(request: FastifyRequest): Caller;
  /** The same refusal `POST /api/<method>` gives this caller, or null when the call may go on. */
  refusal(method: string, caller: Caller): Result<never> | null;
  /** A reader this far behind on its replies is dropped (it opens the socket again, or posts). */
  maxBufferedBytes: number;
}

/** Reads one message; a message that is not a call names what is wrong with it. */
function readCall(data: string): { ok: true; id: number; method: string; input?: unknown } | { ok: false; reply: CallReply } {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return { ok: false, reply: { id: null, result: fail('invalid_input', 'call: not JSON') } };
  }
  const parsed = CallMessageSchema.safeParse(json);
  if (!parsed.success) {
    const id = typeof (json as { id?: unknown })?.id === 'number' ? (json as { id: number }).id : null;
    const issue = parsed.error.issues[0]!;
    return {
      ok: false,
      reply: { id, result: fail('invalid_input', `call: ${issue.path.join('.') || 'message'}: ${issue.message}`) },
    };
  }
  return { ok: true, ...parsed.data };
}

/**
 * `GET /api/calls`: the contract's calls over one WebSocket, `{ id, method, input }` in and
 * `{ id, result }` out, for the same callers under the same rules as POST. Replies go out in the
 * order the core finishes them; a press is applied once whichever way it came (its id).
 */
export function registerCallSocket(app: FastifyInstance, deps: CallSocketDeps): void {
  app.get(`/${CALL_SOCKET_PATH}`, { websocket: true }, (socket: WebSocket, request) => {
    const caller = deps.callerOf(request);
    const answer = (reply: CallReply) => {
      if (socket.readyState !== socket.OPEN) return;
      if (socket.bufferedAmount > deps.maxBufferedBytes) return socket.terminate();
      socket.send(JSON.stringify(reply));
    };
    socket.on('message', (data, isBinary) => {
      if (isBinary) return answer({ id: null, result: fail('invalid_input', 'call: a text message of JSON, not binary') });
      const call = readCall(data.toString());
      if (!call.ok) return answer(call.reply);
      const refused = deps.refusal(call.method, caller);
      if (refused) return answer({ id: call.id, result: refused });
      void deps.core.invoke(call.method, call.input, caller).then(
        (result) => answer({ id: call.id, result }),
        (error: Error) => answer({ id: call.id, result: fail('internal', `${call.method}: ${error.message}`) }),
      );
    });
  });
}
