/**
 * Content-addressed, resumable photo uploads. A blob is named by the SHA-256
 * of its bytes; chunks are appended at `offset`, partial bytes are kept across
 * connection losses, and the hash is checked once the declared total (or, for
 * a PUT without `total`, that chunk's end) is reached. A mismatch discards
 * the partial upload so the tablet can start over cleanly.
 */
import { BlobStatus, MAX_BLOB_BYTES } from '../domain';
import { syncError } from './errors';
import { sha256Hex, type SyncContext } from './sync';
import type { BlobRow } from './storage/types';

export const isSha256 = (s: string) => /^[0-9a-f]{64}$/.test(s);

const statusOf = (sha256: string, blob: BlobRow | undefined): BlobStatus =>
  BlobStatus.parse({ sha256, received: blob?.data.length ?? 0, complete: blob?.complete ?? false });

export async function blobStatus(ctx: SyncContext, sha256: string): Promise<BlobStatus> {
  return statusOf(sha256, await ctx.storage.readOne((tx) => tx.getBlob(sha256)));
}

export async function readBlob(ctx: SyncContext, sha256: string): Promise<Buffer | undefined> {
  const blob = await ctx.storage.readOne((tx) => tx.getBlob(sha256));
  return blob?.complete ? blob.data : undefined;
}

export async function putBlobChunk(
  ctx: SyncContext,
  deviceId: string,
  sha256: string,
  offset: number,
  declaredTotal: number | null,
  chunk: Buffer,
): Promise<BlobStatus> {
  const end = offset + chunk.length;
  const tooLarge = () => syncError('tooLarge', `a photo may be at most ${MAX_BLOB_BYTES} bytes`);
  if (end > MAX_BLOB_BYTES || (declaredTotal ?? 0) > MAX_BLOB_BYTES) throw tooLarge();
  const outcome = await ctx.storage.write(async (tx) => {
    const blob = await tx.getBlob(sha256);
    if (blob?.complete) return { status: statusOf(sha256, blob), mismatch: false };
    const held = blob?.data ?? Buffer.alloc(0);
    if (offset > held.length)
      throw syncError('invalidRequest', `offset ${offset} is past the ${held.length} bytes received; resume at ${held.length}`);
    if (declaredTotal !== null && blob?.total != null && blob.total !== declaredTotal)
      throw syncError('invalidRequest', `total ${declaredTotal} differs from the ${blob.total} declared earlier`);
    const total = declaredTotal ?? blob?.total ?? end;
    if (end > total) throw syncError('invalidRequest', `chunk ends at ${end}, past the declared total ${total}`);
    // A retried chunk may overlap bytes already held: keep only what is new.
    const data = end > held.length ? Buffer.concat([held, chunk.subarray(held.length - offset)]) : held;
    if (data.length < total) {
      const next = { sha256, data, total, complete: false };
      await tx.putBlob(next, ctx.now());
      return { status: statusOf(sha256, next), mismatch: false };
    }
    if (sha256Hex(data) !== sha256) {
      await tx.deleteBlob(sha256);
      return { status: statusOf(sha256, undefined), mismatch: true };
    }
    const done = { sha256, data, total: data.length, complete: true };
    await tx.putBlob(done, ctx.now());
    return { status: statusOf(sha256, done), mismatch: false };
  });
  if (outcome.mismatch) {
    ctx.log.warn('blobHashMismatch', { deviceId, bytes: end });
    throw syncError('hashMismatch', 'the uploaded bytes do not match the SHA-256 in the URL; upload again from offset 0');
  }
  if (outcome.status.complete) ctx.log.info('blobComplete', { deviceId, bytes: outcome.status.received });
  return outcome.status;
}
