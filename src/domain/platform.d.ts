/**
 * The platform APIs the domain uses, present alike in browsers, service
 * workers and Node ≥ 19: random bytes for record ids (ids.ts) and WebCrypto's
 * SHA-256 with TextEncoder for content addresses and token hashes (sha256.ts).
 * The domain is type-checked without DOM or Node types
 * (tsconfig.domain.json), so any other platform API a domain module reached
 * for would be a type error here.
 */
declare const crypto: {
  getRandomValues<T extends ArrayBufferView>(array: T): T;
  subtle: { digest(algorithm: 'SHA-256', data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer> };
};
declare class TextEncoder {
  encode(input: string): Uint8Array<ArrayBuffer>;
}
