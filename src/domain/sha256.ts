/**
 * The one SHA-256 of the code base, as lowercase hex: a photo's content
 * address (tablet and server), and the stored form of a device token or an
 * enrollment code (server). WebCrypto's digest, present alike in browsers,
 * service workers and Node, so the tablet and the server hash the same way.
 *
 * sha256HexSync is the same function for the one place that cannot wait for
 * a promise: an erasure's salted name hash, checked inside an IndexedDB
 * transaction (awaiting WebCrypto there would let the transaction commit).
 * It is @noble/hashes (audited, dependency-free) because WebCrypto has no
 * synchronous digest; its inputs are short strings, never photos.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', plainBytes(data));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function sha256HexSync(data: string | Uint8Array): string {
  return bytesToHex(sha256(typeof data === 'string' ? new TextEncoder().encode(data) : data));
}

/** A string's UTF-8, or the same bytes over a plain ArrayBuffer (WebCrypto takes no shared memory): a view, copied only when shared. */
function plainBytes(data: string | Uint8Array): Uint8Array<ArrayBuffer> {
  if (typeof data === 'string') return new TextEncoder().encode(data);
  return data.buffer instanceof ArrayBuffer ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}
