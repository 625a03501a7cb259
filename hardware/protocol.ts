import type { Transform } from 'node:stream';
import type { BoxProfile } from '../shared/box.js';
import { ByteParser, FrameParser, LineParser } from './framing.js';

/** What a box said, once a frame was read and understood. */
export type BoxSignal =
  | { kind: 'press'; button: number; seq?: number }
  | { kind: 'hello'; firmware: string; buttons: number }
  | { kind: 'invalid'; frame: string };

/** How the console talks to one kind of box: the frame parser, what a frame means, what to send. */
export interface BoxDialect {
  parser(): Transform;
  decode(frame: string | Buffer): BoxSignal;
  /** Bytes to send, or null where this kind of box has no such command. */
  ping: Buffer | null;
  ack: Buffer | null;
  /** Light LED n / put every LED out: a box with LEDs shows them only while a rating is open. */
  light: ((led: number) => Buffer) | null;
  allOff: Buffer | null;
}

/** XOR of the bytes, two upper-case hex digits (as NMEA 0183 does). */
export function checksum(text: string): string {
  let sum = 0;
  for (const char of text) sum ^= char.charCodeAt(0) & 0xff;
  return sum.toString(16).toUpperCase().padStart(2, '0');
}

/** The counter runs 1–999999999 (docs/hardware.md): `#0` or a leading zero is not a counter the box sends. */
const PRESS = /^B([1-9])(?: #([1-9]\d{0,8}))?$/;
const HELLO = /^!PULT ([\w.+-]{1,32}) ([1-9])$/;

/** A line of the Pult box protocol (docs/hardware.md): `B<n> [#seq] [*xx]`, `!PULT <fw> <buttons>`. */
export function decodePultLine(line: string): BoxSignal {
  const invalid: BoxSignal = { kind: 'invalid', frame: line };
  const star = line.lastIndexOf(' *');
  let body = line;
  if (star !== -1) {
    body = line.slice(0, star);
    if (line.slice(star + 2).toUpperCase() !== checksum(body)) return invalid;
  }
  const press = PRESS.exec(body);
  if (press)
    return press[2] === undefined
      ? { kind: 'press', button: Number(press[1]) }
      : { kind: 'press', button: Number(press[1]), seq: Number(press[2]) };
  const hello = HELLO.exec(body);
  if (hello) return { kind: 'hello', firmware: hello[1]!, buttons: Number(hello[2]) };
  return invalid;
}

const command = (text: string) => Buffer.from(`${text}\n`, 'latin1');
/** The Pult protocol's console → box commands. */
export const PULT_COMMANDS = {
  ping: command('?'),
  ack: command('A'),
  light: (led: number) => command(`L${led}`),
  allOff: command('Z'),
};

/** A byte written as "0x31" or "49" in the config. */
const byteOf = (key: string): number => (key.startsWith('0x') ? Number.parseInt(key.slice(2), 16) : Number(key));

export function dialectOf(profile: BoxProfile): BoxDialect {
  const none = { ping: null, ack: null, light: null, allOff: null };
  switch (profile.kind) {
    case 'pult':
      return { parser: () => new LineParser(), decode: (frame) => decodePultLine(String(frame)), ...PULT_COMMANDS };
    case 'lines': {
      const buttons = new Map(Object.entries(profile.buttons));
      return {
        parser: () => new LineParser(),
        decode: (frame) => {
          const button = buttons.get(String(frame).trim());
          return button === undefined ? { kind: 'invalid', frame: String(frame) } : { kind: 'press', button };
        },
        ...none,
      };
    }
    case 'bytes': {
      const buttons = new Map(Object.entries(profile.buttons).map(([key, button]) => [byteOf(key), button]));
      return {
        parser: () => new ByteParser(),
        decode: (frame) => {
          const byte = (frame as Buffer)[0]!;
          const button = buttons.get(byte);
          return button === undefined ? { kind: 'invalid', frame: `0x${byte.toString(16)}` } : { kind: 'press', button };
        },
        ...none,
      };
    }
    case 'rs485-panel': {
      const { start, end, address, firstCommand } = profile;
      return {
        parser: () => new FrameParser({ start, end, length: 4 }),
        decode: (frame) => {
          const bytes = frame as Buffer;
          const button = bytes[2]! - firstCommand + 1;
          // Frames for other windows' panels share the bus: not ours, not an error either.
          if (bytes[1] !== address || button < 1 || button > 9) return { kind: 'invalid', frame: bytes.toString('hex') };
          return { kind: 'press', button };
        },
        ...none,
      };
    }
  }
}
