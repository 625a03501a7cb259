import { Transform, type TransformCallback } from 'node:stream';

/**
 * Stream parsers that cut a serial byte stream into frames. A serial line delivers bytes in any
 * chunking (a frame split over reads, several frames in one read) and with garbage (a box booting,
 * a loose cable, a child's key-mash on a USB adapter). Both parsers resynchronise: a bad or overlong
 * frame is dropped up to the next boundary, and the buffer never grows beyond one frame.
 */

/** Text lines ending in `\n`, `\r\n` or `\r` (a `\n` right after a `\r` is no empty line). */
export class LineParser extends Transform {
  private line: number[] = [];
  private overlong = false;
  private afterCr = false;

  constructor(private readonly maxLength = 64) {
    super({ readableObjectMode: true });
  }

  /** Bytes held waiting for a line end: never more than one line (`maxLength`), however long the garbage. */
  get held(): number {
    return this.line.length;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    for (const byte of chunk) {
      const wasCr = this.afterCr;
      this.afterCr = byte === 0x0d;
      if (byte === 0x0a && wasCr) continue;
      if (byte === 0x0a || byte === 0x0d) {
        if (!this.overlong && this.line.length > 0) this.push(Buffer.from(this.line).toString('latin1'));
        this.line = [];
        this.overlong = false;
      } else if (this.line.length >= this.maxLength) {
        // Garbage without a line end: forget it and wait for the next boundary.
        this.line = [];
        this.overlong = true;
      } else this.line.push(byte);
    }
    done();
  }
}

/** Fixed-length binary frames between a start and an end byte (RS-485 panels of queue systems). */
export class FrameParser extends Transform {
  private frame: number[] = [];

  constructor(private readonly shape: { start: number; end: number; length: number }) {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const { start, end, length } = this.shape;
    for (const byte of chunk) {
      if (this.frame.length === 0) {
        if (byte === start) this.frame.push(byte); // anything before a start byte is noise
        continue;
      }
      this.frame.push(byte);
      if (this.frame.length < length) continue;
      if (byte === end) {
        this.push(Buffer.from(this.frame));
        this.frame = [];
      } else {
        // Not a frame: resynchronise on the next start byte inside what was read.
        const again = this.frame.indexOf(start, 1);
        this.frame = again === -1 ? [] : this.frame.slice(again);
      }
    }
    done();
  }
}

/** One byte, one frame: boxes that send a single byte per press. */
export class ByteParser extends Transform {
  constructor() {
    super({ readableObjectMode: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    for (const byte of chunk) this.push(Buffer.from([byte]));
    done();
  }
}
