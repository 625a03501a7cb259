import { z } from 'zod';
import { CSI_RANGE, NPS_RANGE, type ScoreQuestion } from './answer.js';
import { broken, idSchema } from './config-rules.js';

/**
 * A physical button box in the config (`boxes[]`): where it is plugged in, how it talks, and what
 * each of its buttons answers. The wire formats are in docs/hardware.md; the driver in hardware/.
 */

const hex4 = z.string().refine((id) => /^[0-9a-fA-F]{4}$/.test(id), broken('hexId'));
const byteValue = z.number().int().min(0).max(255);

/** Found again after the OS renamed it: by USB ids plus the serial number, or plus the USB port location. */
export const PortMatchSchema = z.strictObject({
  vendorId: hex4,
  productId: hex4,
  /** The adapter's own serial number, where its chip has one (FTDI, CP210x). */
  serialNumber: z.string().min(1).max(64).optional(),
  /** The USB port it is plugged into (`pult ports` shows it), for chips without one (CH340, PL2303). */
  location: z.string().min(1).max(128).optional(),
});
export type PortMatch = z.output<typeof PortMatchSchema>;

export const BoxPortSchema = z.union([
  z.strictObject({ path: z.string().min(1).max(256) }),
  z.strictObject({ match: PortMatchSchema }),
]);

const line = {
  baudRate: z.number().int().min(300).max(921_600),
  parity: z.enum(['none', 'even', 'odd']).default('none'),
};

export const BoxProfileSchema = z.discriminatedUnion('kind', [
  /** The Pult box protocol: `B<n> [#seq] [*xx]` lines, pings, LEDs. */
  z.strictObject({ kind: z.literal('pult'), ...line, baudRate: line.baudRate.default(9600) }),
  /** A third-party box sending a text line per press: which line means which button. */
  z.strictObject({
    kind: z.literal('lines'),
    ...line,
    baudRate: line.baudRate.default(9600),
    buttons: z.record(z.string().min(1).max(32), z.number().int().min(1).max(9)),
  }),
  /** A third-party box sending one byte per press (`"0x31": 1`, or `"49": 1`). */
  z.strictObject({
    kind: z.literal('bytes'),
    ...line,
    baudRate: line.baudRate.default(9600),
    buttons: z.record(
      z
        .string()
        .refine((key) => /^0x[0-9a-fA-F]{2}$/.test(key) || (/^\d{1,3}$/.test(key) && Number(key) <= 255), broken('byteKey')),
      z.number().int().min(1).max(9),
    ),
  }),
  /**
   * A queue system's RS-485 rating panel: frames `start address command end`, e.g. 01 05 33 07 at
   * 57600 8N1; `address` picks this window's panel on a shared bus, commands 0x31.. are buttons 1...
   */
  z.strictObject({
    kind: z.literal('rs485-panel'),
    ...line,
    baudRate: line.baudRate.default(57_600),
    address: byteValue,
    start: byteValue.default(0x01),
    end: byteValue.default(0x07),
    firstCommand: byteValue.default(0x31),
  }),
]);
export type BoxProfile = z.output<typeof BoxProfileSchema>;

const csiValue = z.number().int().min(CSI_RANGE.min).max(CSI_RANGE.max);
const npsValue = z.number().int().min(NPS_RANGE.min).max(NPS_RANGE.max);

export const BoxSchema = z
  .strictObject({
    /** Names the box in the status and in every answer it gave (`source: "button:<id>"`). */
    id: idSchema,
    port: BoxPortSchema,
    profile: BoxProfileSchema.prefault({ kind: 'pult' }),
    buttons: z.number().int().min(2).max(9),
    /**
     * What button 1, 2, … answers to each question. Without `csi`, 5 buttons answer 1..5 and 3
     * buttons 1/3/5; a question with no list here is never guessed (see `unanswerable`).
     */
    answers: z.strictObject({ csi: z.array(csiValue).optional(), nps: z.array(npsValue).optional() }).prefault({}),
    /** A question the box has no answers for: `skip` it after the box answered, or leave it to the `touch` screen. */
    unanswerable: z.enum(['skip', 'touch']).default('touch'),
    /** Presses of one button closer together than this are one press (a held or chattering button). */
    debounceMs: z.number().int().min(0).max(2_000).default(150),
  })
  .refine(
    (box) => Object.values(box.answers).every((values) => values === undefined || values.length === box.buttons),
    broken('answersPerButton', ['answers']),
  );
export type BoxConfig = z.output<typeof BoxSchema>;

/** The answer values of each button for `question`, or null when the box cannot answer it. */
export function boxAnswers(box: Pick<BoxConfig, 'answers' | 'buttons'>, question: ScoreQuestion): number[] | null {
  const configured = question === 'csi' || question === 'nps' ? box.answers[question] : undefined;
  if (configured) return configured;
  if (question === 'nps') return null;
  // CSI and the five federal criteria are 1–5: a 5-button box answers them as they are.
  if (question !== 'csi') return box.buttons === 5 ? [1, 2, 3, 4, 5] : null;
  if (box.buttons === 5) return [1, 2, 3, 4, 5];
  if (box.buttons === 3) return [1, 3, 5];
  return null;
}

/**
 * Why a box is not connected, typed (the words are the shells'): its port is not there, several
 * ports match, it would not open, it went away (the OS said so, a write failed, or it stopped
 * answering pings), it has not answered yet, or the console stopped reading it.
 */
export const BoxProblemSchema = z.object({
  kind: z.enum([
    'not_found',
    'ambiguous',
    'listing_failed',
    'open_failed',
    'disconnected',
    'write_failed',
    'silent',
    'no_answer_yet',
    'stopped',
  ]),
  /** What the OS said, or how many ports matched; null where the kind says it all. */
  detail: z.string().nullable(),
});
export type BoxProblem = z.output<typeof BoxProblemSchema>;

/** What a box reports about itself, in the status and the contract. */
export const BoxStatusSchema = z.object({
  id: z.string(),
  connected: z.boolean(),
  /** The device path it is open on (or was last found at). */
  port: z.string().nullable(),
  /** The box's firmware, from its answer to a ping (Pult protocol only). */
  firmware: z.string().nullable(),
  lastPressAtMs: z.number().nullable(),
  /**
   * Frames since the start that meant nothing (a wrong checksum, garbage, a button the box does
   * not have): a loose cable or a wrong baud rate shows here while presses go missing.
   */
  invalidFrames: z.number().int(),
  /** Why it is not connected; null while it is. */
  problem: BoxProblemSchema.nullable(),
  /** Presses the console could not store (storage failed): the box's LED did not confirm them. */
  pressesNotStored: z.number().int(),
});
export type BoxStatus = z.output<typeof BoxStatusSchema>;
/** What the driver knows of its box (the core adds what became of the presses). */
export type BoxLink = Omit<BoxStatus, 'pressesNotStored'>;
