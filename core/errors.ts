import type { FailureKind } from '../shared/admin/failures.js';

/**
 * A failure the core reports to whoever started it: a kind and the values that describe it,
 * never a sentence or an exit code. The shells (cli/, electron/) choose the words, in the IT
 * staff's language, and the exit code (shared/admin/).
 */
export class PultFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`${kind}: ${JSON.stringify(params)}`);
    this.name = new.target.name;
  }
}

/** Why a write did not happen; the transaction rolled back, nothing of the answer is stored. */
export type StorageFailureReason = 'busy' | 'failed';

/** Storage could not complete a write: the answer was NOT stored. */
export class StorageError extends Error {
  readonly code = 'storage_failure';
  constructor(
    readonly reason: StorageFailureReason,
    cause: unknown,
  ) {
    super(`the answer was not stored: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StorageError';
  }
}

/** A well-formed call that this console cannot take (e.g. a language it does not offer): nothing changed. */
export class InvalidInput extends Error {
  readonly code = 'invalid_input';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInput';
  }
}

/** A call this caller may not make (no PIN session, or it ended): nothing was read or changed. */
export class NotAllowed extends Error {
  readonly code = 'not_allowed';
  constructor(message: string) {
    super(message);
    this.name = 'NotAllowed';
  }
}
