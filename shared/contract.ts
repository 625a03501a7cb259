import type { METHOD_NAMES } from './vocabulary.js';
import { z } from 'zod';
import { PultConfigSchema } from './config.js';
import { PressReplySchema, PressSchema, SessionViewSchema } from './session.js';
import { StatusSchema, SyncStatusSchema } from './status.js';
import { supervisorMethods } from './supervisor.js';
import type { Result } from './result.js';

/**
 * PultApi — the one contract between a screen and the core. Each method names its input and
 * output schema; both shells (Electron IPC, HTTP host) route exactly these names (derived from
 * this object, never listed again), and the core parses every input with the schema here before
 * acting on it. Adding a method = one entry in its part here + one handler in that part's
 * core/handlers/ file (a missing or extra handler does not compile).
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

export { StatusSchema, StorageNoticeSchema, SyncStatusSchema } from './status.js';
export type { Status, StorageNotice, SyncStatus } from './status.js';

const NoInput = z.strictObject({}).optional();

export const ConsoleSetupSchema = z.object({
  deviceId: z.string(),
  office: PultConfigSchema.shape.office,
  window: PultConfigSchema.shape.window,
  language: PultConfigSchema.shape.language,
  flow: PultConfigSchema.shape.flow,
  timeouts: PultConfigSchema.shape.timeouts,
  sound: PultConfigSchema.shape.sound,
  /** The supervisor screen (and its PIN pad) goes back to the applicant after this long without a touch. */
  supervisorIdleMs: z.number().int(),
  /** The fewest buttons of the button boxes configured (null: none): the screen shows which button chooses what. */
  boxButtons: z.number().int().nullable().default(null),
});
export type ConsoleSetup = z.output<typeof ConsoleSetupSchema>;

/** What the applicant's screen uses. */
export const kioskMethods = {
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

/** What IT staff and monitoring read. */
export const statusMethods = {
  /** Counts for the status line and remote monitoring. */
  getStatus: { input: NoInput, output: StatusSchema },
  getSyncStatus: { input: NoInput, output: SyncStatusSchema },
} as const;

export const contract = mergeContract(kioskMethods, statusMethods, supervisorMethods);

/** The applicant's methods: they answer the console's own screen only (loopback, or the configured kiosk addresses). */
export const KIOSK_METHODS: readonly string[] = Object.keys(kioskMethods);
/** What a browser elsewhere on the LAN may call (the supervisor screen at /admin): these, behind the PIN, and nothing else. */
export const LAN_METHODS: readonly string[] = Object.keys(supervisorMethods);

export const events = {
  /** The console's setup changed (the supervisor changed a setting): screens redraw from it. */
  console: ConsoleSetupSchema,
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
export { METHOD_NAMES } from './vocabulary.js';
// vocabulary.ts lists the methods for the applicant's screen, which loads no schema: all of them, no more.
type Listed = (typeof METHOD_NAMES)[number];
const everyMethodListed: [Exclude<MethodName, Listed>, Exclude<Listed, MethodName>] extends [never, never] ? true : never = true;
void everyMethodListed;
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
