import { contract, type MethodOutput } from '../shared/contract.js';
import { describeIssues } from '../shared/config.js';
import { isMethodName, type MethodName } from '../shared/api-names.js';
import { fail, ok, type Result } from '../shared/result.js';
import { StorageError, type PultService } from './service.js';

type Handlers = { [M in MethodName]: (service: PultService, input: never) => MethodOutput<M> };

/** The core side of each contract method; input arrives already parsed by its schema. */
const handlers: Handlers = {
  getConsole: (service) => service.getConsole(),
  recordAnswer: (service, input: Parameters<PultService['recordAnswer']>[0]) => service.recordAnswer(input),
  getStatus: (service) => service.getStatus(),
};

/**
 * The one entry both shells use: looks the method up, parses the untrusted input with the
 * contract's schema, runs it, and turns every failure into a typed error. Nothing is written
 * unless the input parsed.
 */
export async function invoke(service: PultService, method: string, rawInput: unknown): Promise<Result<unknown>> {
  if (!isMethodName(method)) return fail('unknown_method', `unknown method "${method}"`);
  const parsed = contract[method].input.safeParse(rawInput);
  if (!parsed.success) return fail('invalid_input', `${method}: ${describeIssues(parsed.error).join('; ')}`);
  try {
    const handler = handlers[method] as (service: PultService, input: unknown) => unknown;
    return ok(handler(service, parsed.data));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return fail(error instanceof StorageError ? 'storage_failure' : 'internal', `${method}: ${message}`);
  }
}
