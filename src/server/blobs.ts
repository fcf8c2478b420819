/**
 * Content-addressed, resumable photo uploads. A blob is named by the SHA-256
 * of its bytes; chunks are appended at `offset`, partial bytes are kept across
 * connection losses, and the hash is checked once the declared total (or, for
 * a PUT without `total`, that chunk's end) is reached.
 *
 * Each tablet uploads into its own partial: another tablet that knows the
 * hash can neither continue nor spoil it, and a wrong size declared first
 * locks nobody out. A tablet whose declared size changed starts over, and a
 * mismatch discards only that tablet's partial. Partials untouched for
 * UPLOAD_EXPIRY_MS are dropped. A new upload reserves its declared size in
 * its unit's quota (finished photos + live partials). Status and HEAD read
 * metadata only, never the bytes.
 */
import { BlobStatus, MAX_BLOB_BYTES, sha256Hex } from '../domain';
import { syncError } from './errors';
import type { Device, StoredBlob } from './storage/types';
import type { SyncContext } from './sync';

export const isSha256 = (s: string) => /^[0-9a-f]{64}$/.test(s);

/** A partial upload nobody touched for a week is abandoned (the tablet was wiped, the photo deleted …). */
export const UPLOAD_EXPIRY_MS = 7 * 86_400_000;

/** Per unit by default: about 7,000 photos as the tablet stores them (≈ 300 KB each). */
export const DEFAULT_PHOTO_QUOTA_BYTES = 2 * 1024 ** 3;

const statusOf = (sha256: string, received: number, complete: boolean): BlobStatus => BlobStatus.parse({ sha256, received, complete });

/** What the server holds of a blob: finished, or (for a device) how much of its own upload. */
export async function blobStatus(ctx: SyncContext, sha256: string, device?: Device): Promise<BlobStatus> {
  const since = ctx.now() - UPLOAD_EXPIRY_MS;
  return ctx.storage.readOne(async (tx) => {
    const done = await tx.blobInfo(sha256);
    if (done) return statusOf(sha256, done.size, true);
    return statusOf(sha256, device ? await tx.uploadReceived(sha256, device.deviceId, since) : 0, false);
  });
}

export function readBlob(ctx: SyncContext, sha256: string): Promise<StoredBlob | undefined> {
  return ctx.storage.readOne((tx) => tx.readBlob(sha256));
}

/** The image type the bytes are (JPEG, PNG, GIF, WebP), from their signature; undefined for anything else. */
export function imageTypeOf(bytes: Uint8Array): string | undefined {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  const ascii = (at: number, text: string) => [...text].every((ch, i) => bytes[at + i] === ch.charCodeAt(0));
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'image/gif';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'image/webp';
  return undefined;
}

export async function putBlobChunk(
  ctx: SyncContext,
  device: Device,
  sha256: string,
  offset: number,
  declaredTotal: number | null,
  chunk: Buffer,
  quotaBytesPerUnit: number,
): Promise<BlobStatus> {
  const end = offset + chunk.length;
  if (end > MAX_BLOB_BYTES || (declaredTotal ?? 0) > MAX_BLOB_BYTES)
    throw syncError('tooLarge', `a photo may be at most ${MAX_BLOB_BYTES} bytes`);
  const now = ctx.now();
  const since = now - UPLOAD_EXPIRY_MS;
  const { deviceId, unitId } = device;
  const outcome = await ctx.storage.write(async (tx) => {
    await tx.lockBlob(sha256);
    const done = await tx.blobInfo(sha256);
    if (done) return { status: statusOf(sha256, done.size, true), mismatch: false };
    let upload = await tx.getUpload(sha256, deviceId);
    if (upload && (upload.updatedAt < since || (declaredTotal !== null && declaredTotal !== upload.total))) {
      // Expired, or the tablet now declares another size: start over rather than refuse for ever.
      await tx.deleteUploads(sha256, deviceId);
      const restarted = upload.updatedAt >= since;
      upload = undefined;
      if (restarted && offset > 0) return { status: statusOf(sha256, 0, false), mismatch: false };
    }
    const held = upload?.data ?? Buffer.alloc(0);
    if (offset > held.length)
      throw syncError('invalidRequest', `offset ${offset} is past the ${held.length} bytes received; resume at ${held.length}`);
    const total = declaredTotal ?? upload?.total ?? end;
    if (end > total) throw syncError('invalidRequest', `chunk ends at ${end}, past the declared total ${total}`);
    if (!upload) {
      await tx.purgeUploads(since);
      const used = await tx.unitBlobBytes(unitId, since);
      if (used + total > quotaBytesPerUnit)
        throw syncError(
          'quotaExceeded',
          `the unit's photos would take ${used + total} bytes; its quota on this server is ${quotaBytesPerUnit}`,
        );
    }
    // A retried chunk may overlap bytes already held: keep only what is new.
    const data = end > held.length ? Buffer.concat([held, chunk.subarray(held.length - offset)]) : held;
    if (data.length < total) {
      await tx.putUpload({ sha256, deviceId, unitId, total, data, createdAt: upload?.createdAt ?? now, updatedAt: now });
      return { status: statusOf(sha256, data.length, false), mismatch: false };
    }
    if ((await sha256Hex(data)) !== sha256) {
      await tx.deleteUploads(sha256, deviceId);
      return { status: statusOf(sha256, 0, false), mismatch: true };
    }
    await tx.insertBlob({ sha256, data, size: data.length, unitId, deviceId, createdAt: now });
    await tx.deleteUploads(sha256);
    return { status: statusOf(sha256, data.length, true), mismatch: false };
  });
  if (outcome.mismatch) {
    ctx.log.warn('blobHashMismatch', { deviceId, bytes: end });
    throw syncError('hashMismatch', 'the uploaded bytes do not match the SHA-256 in the URL; upload again from offset 0');
  }
  if (outcome.status.complete) ctx.log.info('blobComplete', { deviceId, bytes: outcome.status.received });
  return outcome.status;
}
