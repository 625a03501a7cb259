import { contract, isMethodName, type MethodName, type MethodOutput, type ParsedInput } from '../shared/contract.js';
import { describeIssues } from '../shared/config.js';
import { fail, ok, type Result } from '../shared/result.js';
import { InvalidInput, StorageError } from './errors.js';
import type { PultService } from './service.js';

/** One handler per contract method, typed from its schemas: a handler that disagrees does not compile. */
type Handlers = {
  [M in MethodName]: (service: PultService, input: ParsedInput<M>) => MethodOutput<M> | Promise<MethodOutput<M>>;
};

const handlers: Handlers = {
  getConsole: (service) => service.getConsole(),
  getSession: (service) => service.getSession(),
  press: (service, input) => service.press(input),
  getStatus: (service) => service.getStatus(),
  getSyncStatus: (service) => service.getSyncStatus(),
};

async function run<M extends MethodName>(service: PultService, method: M, rawInput: unknown): Promise<Result<MethodOutput<M>>> {
  const parsed = contract[method].input.safeParse(rawInput);
  if (!parsed.success) return fail('invalid_input', `${method}: ${describeIssues(parsed.error).join('; ')}`);
  try {
    return ok(await handlers[method](service, parsed.data as ParsedInput<M>));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = error instanceof StorageError || error instanceof InvalidInput ? error.code : 'internal';
    return fail(code, `${method}: ${message}`);
  }
}

/**
 * The one entry both shells use: looks the method up, parses the untrusted input with the
 * contract's schema, runs it, and turns every failure into a typed error. Nothing is written
 * unless the input parsed.
 */
export function invoke(service: PultService, method: string, rawInput: unknown): Promise<Result<unknown>> {
  if (!isMethodName(method)) return Promise.resolve(fail('unknown_method', `unknown method "${method}"`));
  return run(service, method, rawInput);
}
