import en from './locales/en.json' with { type: 'json' };

/** Exit codes of the `pult` command and the kiosk, documented in README: scripts on hundreds of terminals read them. */
export const EXIT = { ok: 0, failure: 1, badInput: 2, dataDirInUse: 3, databaseFromFuture: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Every failure IT staff can be told about has its words under `errors.<kind>` in ./locales. */
export type FailureKind = keyof (typeof en)['errors'];
export const FAILURE_KINDS: ReadonlySet<string> = new Set(Object.keys(en.errors));

/** The exit code of each kind of failure; the ones not named here exit with `EXIT.failure`. */
const EXIT_OF: Partial<Record<FailureKind, ExitCode>> = {
  dataDirInUse: EXIT.dataDirInUse,
  dataDirInUseByPid: EXIT.dataDirInUse,
  databaseFromFuture: EXIT.databaseFromFuture,
  unknownCommand: EXIT.badInput,
  unknownOption: EXIT.badInput,
  missingValue: EXIT.badInput,
  unexpectedArgument: EXIT.badInput,
  badPort: EXIT.badInput,
  badFormat: EXIT.badInput,
  badExportFormat: EXIT.badInput,
  badBy: EXIT.badInput,
  badCriterion: EXIT.badInput,
  mkguUsage: EXIT.badInput,
  mkguNotConfigured: EXIT.badInput,
  mkguBadForm: EXIT.badInput,
  mkguNoIndicator: EXIT.badInput,
  mkguNoEndpoint: EXIT.badInput,
  mkguNoFormUrl: EXIT.badInput,
  badDate: EXIT.badInput,
  badDuration: EXIT.badInput,
  offlineBeforeLate: EXIT.badInput,
  badWebhook: EXIT.badInput,
  badTimeZone: EXIT.badInput,
  keysUsage: EXIT.badInput,
  signUsage: EXIT.badInput,
  provisionUsage: EXIT.badInput,
  publishUsage: EXIT.badInput,
  keyExists: EXIT.badInput,
  badSecretKey: EXIT.badInput,
  bundleRefused: EXIT.badInput,
  bundlePublishRefused: EXIT.badInput,
  notInitialised: EXIT.badInput,
  enrollUsage: EXIT.badInput,
  queueSimUsage: EXIT.badInput,
  enrollConsoleUsage: EXIT.badInput,
  badDeviceCsv: EXIT.badInput,
  badEndpoint: EXIT.badInput,
  enrolRefused: EXIT.badInput,
  enrolConfig: EXIT.badInput,
  unknownDevice: EXIT.badInput,
  stickDamaged: EXIT.badInput,
  configUsage: EXIT.badInput,
  badButtons: EXIT.badInput,
  adminUsage: EXIT.badInput,
  badPin: EXIT.badInput,
  pinMismatch: EXIT.badInput,
};

export const exitCodeOf = (kind: FailureKind): ExitCode => EXIT_OF[kind] ?? EXIT.failure;

/** What a shell needs of a failure to explain it: core/errors.ts's PultFailure has this shape. */
export interface FailureLike {
  kind: FailureKind;
  params: Record<string, string | number>;
}
