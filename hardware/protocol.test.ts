import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BoxProfileSchema } from '../shared/box.js';
import { FrameParser, LineParser } from './framing.js';
import { checksum, decodePultLine, dialectOf, type BoxSignal } from './protocol.js';

/** Feeds `chunks` through a fresh parser of `profile` and decodes every frame. */
async function signalsOf(profile: unknown, chunks: Buffer[]): Promise<BoxSignal[]> {
  const dialect = dialectOf(BoxProfileSchema.parse(profile));
  const frames: (string | Buffer)[] = await Readable.from(chunks).pipe(dialect.parser()).toArray();
  return frames.map((frame) => dialect.decode(frame));
}
const presses = (signals: BoxSignal[]) => signals.filter((s) => s.kind === 'press');
const withSum = (body: string) => `${body} *${checksum(body)}`;

describe('Pult box protocol', () => {
  it('reads presses with and without a counter and a checksum, and the answer to a ping', () => {
    expect(decodePultLine('B3')).toEqual({ kind: 'press', button: 3 });
    expect(decodePultLine('B5 #12')).toEqual({ kind: 'press', button: 5, seq: 12 });
    expect(decodePultLine(withSum('B1 #7'))).toEqual({ kind: 'press', button: 1, seq: 7 });
    expect(decodePultLine(withSum('B1 #7').toLowerCase().replace('b1', 'B1'))).toEqual({ kind: 'press', button: 1, seq: 7 });
    expect(decodePultLine('!PULT 1.2.0 5')).toEqual({ kind: 'hello', firmware: '1.2.0', buttons: 5 });
  });

  it('never makes a press of a line that is not one', () => {
    for (const line of [
      'B0',
      'B10',
      'b3',
      'B3 ',
      ' B3',
      'B3 #',
      'B3 #x',
      'B3 #0',
      'B3 #007',
      'B3 #1234567890',
      'B3 #1 *00',
      'B3 *',
      'BB3',
      'B3\u0000',
      'PRESS 3',
    ])
      expect(decodePultLine(line).kind, line).toBe('invalid');
    expect(decodePultLine(`B3 #1 *${checksum('B3 #2')}`).kind).toBe('invalid'); // checksum of another line
  });

  it('resynchronises after garbage, split chunks and several frames in one chunk', async () => {
    const stream = Buffer.from(`\u0000\u00ffnoise${'x'.repeat(200)}\nB2\r\nB4 #1\nB5`);
    const chunks = [
      stream.subarray(0, 7),
      stream.subarray(7, 215),
      stream.subarray(215, 219),
      stream.subarray(219),
      Buffer.from('\r\n'),
    ];
    expect(presses(await signalsOf({ kind: 'pult' }, chunks))).toEqual([
      { kind: 'press', button: 2 },
      { kind: 'press', button: 4, seq: 1 },
      { kind: 'press', button: 5 },
    ]);
  });

  it('fuzz: arbitrary bytes never crash the parser and never give a press from an invalid frame', async () => {
    const strict = /^B[1-9]( #\d{1,9})?( \*[0-9A-Fa-f]{2})?$/;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 96 }), { maxLength: 12 }), async (chunks) => {
        const dialect = dialectOf(BoxProfileSchema.parse({ kind: 'pult' }));
        const lines: string[] = await Readable.from(chunks.map((c) => Buffer.from(c)))
          .pipe(dialect.parser())
          .toArray();
        for (const line of lines) {
          expect(line.length).toBeLessThanOrEqual(64);
          const signal = dialect.decode(line);
          if (signal.kind !== 'press') continue;
          expect(line).toMatch(strict);
          const star = line.indexOf(' *');
          if (star !== -1) expect(line.slice(star + 2).toUpperCase()).toBe(checksum(line.slice(0, star)));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('fuzz: a valid press after any garbage is still read', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 9 }), async (garbage, button) => {
        const signals = await signalsOf({ kind: 'pult' }, [Buffer.from(garbage), Buffer.from(`\n${withSum(`B${button}`)}\n`)]);
        expect(presses(signals).at(-1)).toEqual({ kind: 'press', button });
      }),
      { numRuns: 300 },
    );
  });
});

describe('generic profiles', () => {
  it('lines: a configured text per button, any line end; other lines are not presses', async () => {
    const profile = { kind: 'lines', buttons: { '1': 1, K3: 3, OK: 5 } };
    const signals = await signalsOf(profile, [Buffer.from('1\rK3\r\nhello\nOK\n')]);
    expect(presses(signals).map((s) => s.button)).toEqual([1, 3, 5]);
  });

  it('bytes: one byte per press, written as hex or decimal', async () => {
    const profile = { kind: 'bytes', buttons: { '0x31': 1, '50': 2 } };
    expect(presses(await signalsOf(profile, [Buffer.from([0x31, 0x00, 0x32, 0xff])])).map((s) => s.button)).toEqual([1, 2]);
  });

  it('RS-485 panel: frames for this address only, resynchronised after noise', async () => {
    const profile = { kind: 'rs485-panel', address: 5 };
    const bus = Buffer.from([
      0x07, 0x01, 0x05, 0x31, 0x07, 0x01, 0x06, 0x32, 0x07, 0x01, 0x01, 0x05, 0x34, 0x07, 0x01, 0x05, 0x33,
    ]);
    const signals = await signalsOf(profile, [bus.subarray(0, 9), bus.subarray(9), Buffer.from([0x07])]);
    expect(presses(signals).map((s) => s.button)).toEqual([1, 4, 3]);
  });

  it('fuzz: RS-485 frames are always start…end of four bytes, and a press only for our address', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 8 }), async (chunks) => {
        const frames: Buffer[] = await Readable.from(chunks.map((c) => Buffer.from(c)))
          .pipe(new FrameParser({ start: 0x01, end: 0x07, length: 4 }))
          .toArray();
        const dialect = dialectOf(BoxProfileSchema.parse({ kind: 'rs485-panel', address: 9 }));
        for (const frame of frames) {
          expect([frame.length, frame[0], frame[3]]).toEqual([4, 0x01, 0x07]);
          const signal = dialect.decode(frame);
          if (signal.kind === 'press') expect(frame[1]).toBe(9);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a line parser never holds more than one line of garbage', async () => {
    const parser = new LineParser(64);
    parser.write(Buffer.alloc(10_000, 0x41));
    expect(parser.held).toBeLessThanOrEqual(64);
  });
});
