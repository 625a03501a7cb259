import {
  contract,
  isMethodName,
  type Contract,
  type MethodName,
  type MethodOutput,
  type ParsedInput,
} from '../shared/contract.js';
import { describeIssues } from '../shared/config.js';
import { fail, ok, type Result } from '../shared/result.js';
import { InvalidInput, NotAllowed, StorageError } from './errors.js';
import type { PartHandlers } from './handlers/part.js';
import type { Caller } from './supervisor/access.js';

/** One handler per contract method. */
export type Handlers = PartHandlers<Contract>;

/**
 * Joins the parts' handlers (kiosk, status, supervisor, …), as shared/contract.ts joins their
 * schemas: a method handled twice would silently replace one, so it is refused.
 */
export function mergeHandlers(...parts: Partial<Handlers>[]): Handlers {
  const merged: Record<string, unknown> = {};
  for (const part of parts)
    for (const [name, handler] of Object.entries(part)) {
      if (name in merged) throw new Error(`handlers: method "${name}" is handled twice`);
      merged[name] = handler;
    }
  const missing = Object.keys(contract).filter((name) => !(name in merged));
  if (missing.length) throw new Error(`handlers: no handler for ${missing.join(', ')}`);
  return merged as Handlers;
}

/** The console's own screen (Electron, or the kiosk browser on loopback): a PIN session there pauses ratings. */
export const ON_CONSOLE: Caller = { onConsole: true, who: 'console' };

async function run<M extends MethodName>(
  handlers: Handlers,
  method: M,
  rawInput: unknown,
  caller: Caller,
): Promise<Result<MethodOutput<M>>> {
  const parsed = contract[method].input.safeParse(rawInput);
  if (!parsed.success) return fail('invalid_input', `${method}: ${describeIssues(parsed.error).join('; ')}`);
  try {
    const handler = handlers[method] as (input: ParsedInput<M>, caller: Caller) => MethodOutput<M> | Promise<MethodOutput<M>>;
    return ok(await handler(parsed.data as ParsedInput<M>, caller));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code =
      error instanceof StorageError || error instanceof InvalidInput || error instanceof NotAllowed ? error.code : 'internal';
    return fail(code, `${method}: ${message}`);
  }
}

/**
 * The one entry both shells use (through their CoreLink): looks the method up, parses the untrusted
 * input with the contract's schema, runs its handler, and turns every failure into a typed error.
 * Nothing is written unless the input parsed. `caller` says where the call came from.
 */
export function dispatch(
  handlers: Handlers,
  method: string,
  rawInput: unknown,
  caller: Caller = ON_CONSOLE,
): Promise<Result<unknown>> {
  if (!isMethodName(method)) return Promise.resolve(fail('unknown_method', `unknown method "${method}"`));
  return run(handlers, method, rawInput, caller);
}
