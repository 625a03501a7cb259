import { z } from 'zod';
import { AnswerInputSchema, RecordedAnswerSchema } from './answer.js';
import { PultConfigSchema } from './config.js';
import type { EventName, MethodName } from './api-names.js';
import type { Result } from './result.js';

/**
 * PultApi — the one contract between a screen and the core. Each method names its input and
 * output schema; both shells (Electron IPC, HTTP host) route exactly these names, and the core
 * parses every input with the schema here before acting on it.
 */

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

export const StorageNoticeSchema = z.object({
  kind: z.literal('recovered_from_corrupt_database'),
  movedTo: z.string(),
  atMs: z.number(),
});

export const StatusSchema = z.object({
  deviceId: z.string(),
  answersStored: z.number().int(),
  outboxPending: z.number().int(),
  lastAnswerAtMs: z.number().nullable(),
  storageNotice: StorageNoticeSchema.nullable(),
});
export type Status = z.output<typeof StatusSchema>;

export const contract = {
  /** What the applicant screen needs to draw itself: office, window, languages, flow, timeouts. */
  getConsole: { input: NoInput, output: ConsoleSetupSchema },
  /** Stores one answer durably; resolves only after the SQLite COMMIT. */
  recordAnswer: { input: AnswerInputSchema, output: RecordedAnswerSchema },
  /** Counts for the status line and remote monitoring. */
  getStatus: { input: NoInput, output: StatusSchema },
} as const satisfies Record<MethodName, { input: z.ZodType; output: z.ZodType }>;

export const events = {
  /** Sent after every stored answer and when storage had to recover. */
  status: StatusSchema,
} as const satisfies Record<EventName, z.ZodType>;

export type Contract = typeof contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export type PultApi = {
  [M in MethodName]: (input: MethodInput<M>) => Promise<Result<MethodOutput<M>>>;
} & {
  /** Subscribes to a core event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};
