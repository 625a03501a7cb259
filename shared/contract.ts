import { z } from 'zod';
import { BoxStatusSchema } from './box.js';
import { PultConfigSchema } from './config.js';
import { PressReplySchema, PressSchema, SessionViewSchema } from './session.js';
import type { Result } from './result.js';

/**
 * PultApi — the one contract between a screen and the core. Each method names its input and
 * output schema; both shells (Electron IPC, HTTP host) route exactly these names (derived from
 * this object, never listed again), and the core parses every input with the schema here before
 * acting on it. Adding a method = one entry here + one handler in core/dispatch.ts.
 */

type MethodSpec = { input: z.ZodType; output: z.ZodType };

/**
 * Joins the per-domain parts (kiosk, status, later supervisor) into one contract. A name declared
 * twice would silently replace a method, so it is refused.
 */
export function mergeContract<const P extends Record<string, MethodSpec>[]>(...parts: P): UnionToIntersection<P[number]> {
  const merged: Record<string, MethodSpec> = {};
  for (const part of parts) {
    for (const [name, spec] of Object.entries(part)) {
      if (name in merged) throw new Error(`contract: method "${name}" is declared twice`);
      merged[name] = spec;
    }
  }
  return merged as UnionToIntersection<P[number]>;
}
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

const NoInput = z.strictObject({}).optional();

export const ConsoleSetupSchema = z.object({
  deviceId: z.string(),
  office: PultConfigSchema.shape.office,
  window: PultConfigSchema.shape.window,
  language: PultConfigSchema.shape.language,
  flow: PultConfigSchema.shape.flow,
  timeouts: PultConfigSchema.shape.timeouts,
});
export type ConsoleSetup = z.output<typeof ConsoleSetupSchema>;

/** Something storage repaired by itself, for IT staff: nothing was lost, but someone should know. */
export const StorageNoticeSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('recovered_from_corrupt_database'),
    movedTo: z.string(),
    reason: z.string(),
    /** Answers read back from the damaged file into the fresh one (marked `recovered_from`). */
    salvaged: z.number().int(),
    /** Rows (seq values) of the damaged file that could not be read. */
    unreadable: z.number().int(),
    atMs: z.number(),
  }),
  /** The database file was deleted under the running console and written back from the open connection. */
  z.object({ kind: z.literal('restored_deleted_database'), atMs: z.number() }),
  z.object({ kind: z.literal('integrity_check_not_run'), reason: z.string(), atMs: z.number() }),
]);
export type StorageNotice = z.output<typeof StorageNoticeSchema>;

export const StatusSchema = z.object({
  deviceId: z.string(),
  answersStored: z.number().int(),
  outboxPending: z.number().int(),
  lastAnswerAtMs: z.number().nullable(),
  storageNotices: z.array(StorageNoticeSchema),
  /** The configured button boxes: connected or not, on which port, the last press. */
  boxes: z.array(BoxStatusSchema),
});
export type Status = z.output<typeof StatusSchema>;

/** What the applicant's screen uses. */
const kiosk = {
  /** What the applicant screen needs to draw itself: office, window, languages, flow, timeouts. */
  getConsole: { input: NoInput, output: ConsoleSetupSchema },
  /** The applicant session as it is now (a screen that starts or reloads picks it up here). */
  getSession: { input: NoInput, output: SessionViewSchema },
  /**
   * What the applicant did on a screen. The core decides what it means; an answer it stores is on
   * disk before the reply, which carries the new view. The only way a screen stores anything.
   */
  press: { input: PressSchema, output: PressReplySchema },
} as const;

/** The uploader's state: what IT staff need to know whether this console's answers reach the collector. */
export const SyncStatusSchema = z.object({
  /** False when the config has no `sync` section: the console works offline only. */
  enabled: z.boolean(),
  /** The collector's address (never the token). */
  endpoint: z.string().nullable(),
  /** Null until the collector answered once; false after a 401/403. */
  authorised: z.boolean().nullable(),
  outboxDepth: z.number().int(),
  oldestUnsentAt: z.number().nullable(),
  lastAckAt: z.number().nullable(),
  lastError: z.string().nullable(),
  quarantineCount: z.number().int(),
  clockOffsetMs: z.number().nullable(),
  /** When the next attempt is due after a failure. */
  retryAt: z.number().nullable(),
});
export type SyncStatus = z.output<typeof SyncStatusSchema>;

/** What IT staff and monitoring read. */
const status = {
  /** Counts for the status line and remote monitoring. */
  getStatus: { input: NoInput, output: StatusSchema },
  getSyncStatus: { input: NoInput, output: SyncStatusSchema },
} as const;

export const contract = mergeContract(kiosk, status);

/** The applicant's methods: they answer the console's own screen only (loopback, or the configured kiosk addresses). */
export const KIOSK_METHODS: readonly string[] = Object.keys(kiosk);

export const events = {
  /** The applicant session changed (every screen repaints from it); sent at once to a new listener. */
  session: SessionViewSchema,
  /** Sent after every stored answer and when storage had to recover. */
  status: StatusSchema,
  /** Sent when the uploader's state changes (a batch settled, an error, a wait). */
  syncStatus: SyncStatusSchema,
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract & string;
export type EventName = keyof typeof events & string;
export const METHOD_NAMES = Object.keys(contract) as MethodName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];
export const isMethodName = (name: string): name is MethodName => Object.hasOwn(contract, name);

/** What a caller sends (before parsing), what a handler receives (parsed), what it returns. */
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

/** Electron IPC channel of a method; the preload and the main process both use this. */
export const ipcChannel = (method: MethodName): string => `pult:${method}`;
export const IPC_EVENT_CHANNEL = 'pult:event';

export type PultApi = {
  [M in MethodName]: (input: MethodInput<M>) => Promise<Result<MethodOutput<M>>>;
} & {
  /** Subscribes to a core event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};
