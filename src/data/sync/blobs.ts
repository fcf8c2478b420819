/**
 * Photos. Blobs with uploaded=0 go up in chunks via resumable PUT (asking the
 * server how much it already holds first) and are marked uploaded only after
 * the server reports the blob complete; the local bytes are never deleted here.
 * Photos of pulled ideas and learning-log entries that this tablet lacks are then fetched (at most
 * MAX_DOWNLOADS_PER_PASS per pass, so a first full pull stays short).
 */
import { BlobStatus, sha256Hex } from '../../domain';
import { apiUrl, call, readJson, storage, unreachable, type SyncContext } from './context';
import { SyncFailure } from './errors';

export const DEFAULT_CHUNK_BYTES = 256 * 1024;
export const MAX_DOWNLOADS_PER_PASS = 20;

export async function uploadBlobs(ctx: SyncContext): Promise<void> {
  const { db } = ctx;
  const pending = await storage(db, () => db.blobs.where('uploaded').equals(0).primaryKeys());
  const chunk = ctx.opts.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  for (const sha256 of pending) {
    const row = await storage(db, () => db.blobs.get(sha256));
    if (!row) continue;
    const bytes = new Uint8Array(await row.blob.arrayBuffer());
    let status = await readJson(await call(ctx, 'GET', `blobs/${sha256}?status=1`), BlobStatus);
    let mismatches = 0;
    while (!status.complete) {
      const end = Math.min(status.received + chunk, bytes.length);
      const res = await call(
        ctx,
        'PUT',
        `blobs/${sha256}?offset=${status.received}&total=${bytes.length}`,
        bytes.slice(status.received, end),
        'application/octet-stream',
      );
      if (res.status === 422) {
        // The server discarded a corrupted upload; start over once, then give up on this photo for now.
        if (++mismatches > 1) throw new SyncFailure('serverError', `photo ${sha256.slice(0, 8)} did not upload intact`, true);
        status = { sha256, received: 0, complete: false };
        continue;
      }
      status = await readJson(res, BlobStatus);
    }
    await storage(db, () => db.blobs.update(sha256, { uploaded: 1 }));
    ctx.result.uploaded++;
  }
}

export async function downloadBlobs(ctx: SyncContext): Promise<void> {
  const { db } = ctx;
  const missing = await storage(db, async () => {
    const wanted = new Set<string>();
    await db.ideas.each((idea) => idea.photos?.forEach((sha) => wanted.add(sha)));
    await db.learnings.each((entry) => entry.photo && wanted.add(entry.photo));
    const held = new Set(await db.blobs.bulkGet([...wanted]).then((rows) => rows.flatMap((r) => (r ? [r.sha256] : []))));
    return [...wanted].filter((sha) => !held.has(sha)).slice(0, MAX_DOWNLOADS_PER_PASS);
  });
  for (const sha256 of missing) {
    const res = await ctx.transport.fetch(new Request(apiUrl(ctx, `blobs/${sha256}`))).catch((err: unknown) => {
      throw unreachable(ctx.transport, err);
    });
    if (!res.ok) continue; // not uploaded yet by its tablet: next pass
    const bytes = new Uint8Array(await res.arrayBuffer());
    if ((await sha256Hex(bytes)) !== sha256) continue; // corrupted in transit: next pass
    const served = res.headers.get('content-type');
    const type = served && served.startsWith('image/') ? served : 'image/jpeg'; // the app stores photos as JPEG
    await storage(db, () =>
      db.blobs.put({ sha256, blob: new Blob([bytes], { type }), type, width: 0, height: 0, size: bytes.length, uploaded: 1, createdAt: ctx.now() }),
    );
  }
}
