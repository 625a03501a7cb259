import type en from './locales/en.json';

/** Exit codes, documented in README: scripts on hundreds of terminals depend on them. */
export const EXIT = { ok: 0, failure: 1, badInput: 2, dataDirInUse: 3, databaseFromFuture: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export type OperatorErrorKey = keyof (typeof en)['errors'];

/**
 * A failure that IT staff read on a terminal or in a dialog. It carries a key of core/locales and
 * the values to fill in, never the sentence itself: the words are chosen where it is shown, in
 * the operator's language (see operator-text.ts).
 */
export class OperatorError extends Error {
  constructor(
    readonly key: OperatorErrorKey,
    readonly params: Record<string, string | number> = {},
    readonly exitCode: ExitCode = EXIT.failure,
  ) {
    super(`${key}: ${JSON.stringify(params)}`);
    this.name = new.target.name;
  }
}
