/** The one SHA-256 (src/domain/sha256.ts) against Node's own, for every kind of input the code base hashes. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex, sha256HexSync } from '../../src/domain';

const reference = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

describe('sha256Hex', () => {
  it('is the lowercase hex SHA-256 of bytes (a photo)', async () => {
    const bytes = new Uint8Array(300_000).map((_, i) => (i * 7) % 253);
    expect(await sha256Hex(bytes)).toBe(reference(bytes));
    expect(await sha256Hex(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it("hashes a string's UTF-8 (a token, an enrollment code)", async () => {
    for (const text of ['Nedenfra', 'ABCD2345EFGH', 'Sørum – «æøå» 🌱']) expect(await sha256Hex(text)).toBe(reference(text));
  });

  it('hashes only the bytes a view shows: a Node Buffer from the pool, a subarray, shared memory', async () => {
    const pooled = Buffer.from('a small buffer shares its pool with others');
    expect(pooled.byteOffset > 0 || pooled.buffer.byteLength > pooled.length).toBe(true);
    expect(await sha256Hex(pooled)).toBe(reference(pooled));
    const middle = new Uint8Array(64).map((_, i) => i).subarray(10, 30);
    expect(await sha256Hex(middle)).toBe(reference(middle));
    const shared = new Uint8Array(new SharedArrayBuffer(16)).fill(7);
    expect(await sha256Hex(shared)).toBe(reference(Buffer.from(shared)));
  });
});

describe('sha256HexSync', () => {
  it('is the same function as sha256Hex, without a promise (an erasure checked inside an IndexedDB transaction)', async () => {
    for (const input of ['', 'salt\u0000kari nordmann', 'Sørum – «æøå» 🌱', new Uint8Array(1000).map((_, i) => i % 251)]) {
      expect(sha256HexSync(input)).toBe(reference(input));
      expect(sha256HexSync(input)).toBe(await sha256Hex(input));
    }
  });
});
