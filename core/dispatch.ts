import { contract, isMethodName, type MethodName, type MethodOutput, type ParsedInput } from '../shared/contract.js';
import { describeIssues } from '../shared/config.js';
import { fail, ok, type Result } from '../shared/result.js';
import { InvalidInput, NotAllowed, StorageError } from './errors.js';
import type { Caller } from './supervisor/access.js';
import type { PultService } from './service.js';

/** One handler per contract method, typed from its schemas: a handler that disagrees does not compile. */
type Handlers = {
  [M in MethodName]: (service: PultService, input: ParsedInput<M>, caller: Caller) => MethodOutput<M> | Promise<MethodOutput<M>>;
};

const handlers: Handlers = {
  getConsole: (service) => service.getConsole(),
  getSession: (service) => service.getSession(),
  press: (service, input) => service.press(input),
  getStatus: (service) => service.getStatus(),
  getSyncStatus: (service) => service.getSyncStatus(),
  openSupervisor: (service, input, caller) => service.openSupervisor(input.pin, caller),
  closeSupervisor: (service, input) => service.closeSupervisor(input.token),
  getStats: (service, input) => service.getStats(input.token, input.period),
  getHealth: (service, input) => service.getHealth(input.token),
  listExportFolders: (service, input) => service.listExportFolders(input.token),
  exportPeriod: (service, input) => service.exportPeriod(input),
  getSettings: (service, input) => service.getSettings(input.token),
  changeSettings: (service, input) => service.changeSettings(input.token, input.change),
};

/** The console's own screen (Electron, or the kiosk browser on loopback): a PIN session there pauses ratings. */
export const ON_CONSOLE: Caller = { onConsole: true, who: 'console' };

async function run<M extends MethodName>(
  service: PultService,
  method: M,
  rawInput: unknown,
  caller: Caller,
): Promise<Result<MethodOutput<M>>> {
  const parsed = contract[method].input.safeParse(rawInput);
  if (!parsed.success) return fail('invalid_input', `${method}: ${describeIssues(parsed.error).join('; ')}`);
  try {
    return ok(await handlers[method](service, parsed.data as ParsedInput<M>, caller));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code =
      error instanceof StorageError || error instanceof InvalidInput || error instanceof NotAllowed ? error.code : 'internal';
    return fail(code, `${method}: ${message}`);
  }
}

/**
 * The one entry both shells use: looks the method up, parses the untrusted input with the
 * contract's schema, runs it, and turns every failure into a typed error. Nothing is written
 * unless the input parsed. `caller` says where the call came from (the console's own screen by default).
 */
export function invoke(
  service: PultService,
  method: string,
  rawInput: unknown,
  caller: Caller = ON_CONSOLE,
): Promise<Result<unknown>> {
  if (!isMethodName(method)) return Promise.resolve(fail('unknown_method', `unknown method "${method}"`));
  return run(service, method, rawInput, caller);
}
