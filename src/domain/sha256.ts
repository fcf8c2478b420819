/**
 * The one SHA-256 of the code base, as lowercase hex: a photo's content
 * address (tablet and server), and the stored form of a device token or an
 * enrollment code (server). WebCrypto's digest, present alike in browsers,
 * service workers and Node, so the tablet and the server hash the same way.
 */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', plainBytes(data));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A string's UTF-8, or the same bytes over a plain ArrayBuffer (WebCrypto takes no shared memory): a view, copied only when shared. */
function plainBytes(data: string | Uint8Array): Uint8Array<ArrayBuffer> {
  if (typeof data === 'string') return new TextEncoder().encode(data);
  return data.buffer instanceof ArrayBuffer ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}
