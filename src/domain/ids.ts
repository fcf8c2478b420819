/**
 * Record ids: UUIDv7 (RFC 9562). Time-ordered, so newest-first sorts cheaply,
 * and unique across tablets without any coordination.
 */
import { z } from 'zod';

export const Id = z.uuid();
export type Id = z.infer<typeof Id>;

let lastMs = 0;
let lastRand = 0;

/** A new UUIDv7. Monotonic within one process even inside the same millisecond. */
export function newId(now: number = Date.now()): Id {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let ms = now;
  if (ms <= lastMs) {
    // Same (or earlier) millisecond: count up; on overflow borrow the next millisecond.
    ms = lastMs;
    lastRand += 1;
    if (lastRand > 0xfff) {
      ms += 1;
      lastRand = 0;
    }
  } else {
    // Start in the lower half so a burst within one millisecond rarely overflows.
    lastRand = ((bytes[6]! & 0x07) << 8) | bytes[7]!;
  }
  lastMs = ms;
  // 48-bit big-endian timestamp
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = 0x70 | ((lastRand >> 8) & 0x0f);
  bytes[7] = lastRand & 0xff;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The creation time encoded in a UUIDv7 id, in epoch ms. */
export function idTime(id: Id): number {
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
