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

/**
 * A new UUIDv7: the time in milliseconds, then 74 random bits. Two ids made in one millisecond are
 * not ordered between themselves — nothing sorts by id: the order of answers is their seq.
 */
export function newId(): string {
  return v7({ random: randomBytes16() });
}
