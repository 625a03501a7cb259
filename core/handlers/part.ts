import type { MethodName, MethodOutput, ParsedInput } from '../../shared/contract.js';
import type { Caller } from '../supervisor/access.js';

/** The handlers of one contract part, typed from its schemas: a handler that disagrees, or is missing, does not compile. */
export type PartHandlers<Part> = {
  [M in keyof Part & MethodName]: (input: ParsedInput<M>, caller: Caller) => MethodOutput<M> | Promise<MethodOutput<M>>;
};
