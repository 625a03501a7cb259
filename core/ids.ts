import crypto from 'node:crypto';
import { v7 } from 'uuid';

/**
 * 16 random bytes from a pool refilled 4 KiB at a time. uuid's v7 asks WebCrypto for 16 bytes at
 * each call, about 10 µs here, and a tap makes three ids (its screen, its response, its answer):
 * a twentieth of the whole tap (bench a1). Node's own randomUUID pools the same way.
 */
const POOL = Buffer.alloc(4096);
let next = POOL.length;

function randomBytes16(): Uint8Array {
  if (next === POOL.length) {
    crypto.randomFillSync(POOL);
    next = 0;
  }
  next += 16;
  return POOL.subarray(next - 16, next);
}

/** The last id's millisecond and 31-bit counter, as uuid keeps them when it draws its own bytes. */
let last = { msecs: -Infinity, seq: 0 };

/**
 * A new UUIDv7: the time in milliseconds, a counter, then random bits. Ids made in one millisecond
 * still sort in the order they were made (uuid's own rule, which passing our bytes would skip):
 * ИАС МКГУ packets made together are listed and sent in that order (`ORDER BY created_at_ms, id`).
 */
export function newId(): string {
  const random = randomBytes16();
  const now = Date.now();
  if (now > last.msecs)
    last = { msecs: now, seq: ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]! };
  else {
    const seq = (last.seq + 1) | 0;
    last = { msecs: seq === 0 ? last.msecs + 1 : last.msecs, seq };
  }
  return v7({ random, msecs: last.msecs, seq: last.seq });
}
