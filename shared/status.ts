import { z } from 'zod';
import { BoxStatusSchema } from './box.js';

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
  /**
   * The file was damaged in place under the running console (overwritten, truncated, its header
   * broken): written back from the open connection; the damaged file is kept at `movedTo`.
   */
  z.object({ kind: z.literal('restored_damaged_database'), movedTo: z.string(), reason: z.string(), atMs: z.number() }),
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
