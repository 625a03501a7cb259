/** Every contract call resolves to a Result: errors are values with a code, never thrown strings. */
export type ErrorCode =
  'invalid_input' | 'not_allowed' | 'not_found' | 'unknown_method' | 'storage_failure' | 'unavailable' | 'internal';

export interface PultError {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: PultError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string): Result<never> => ({ ok: false, error: { code, message } });
