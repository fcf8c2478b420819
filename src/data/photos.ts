/**
 * Photos are resized ON the tablet before they are stored (a 12 MP camera shot
 * would fill the tablet and the sync link), then content-addressed by SHA-256
 * so the same photo is stored and uploaded once.
 */
import { sha256Hex } from '../domain';
import type { BlobRow } from './db';

export const PHOTO_MAX_EDGE = 1600;
export const PHOTO_QUALITY = 0.85;

/** The size that fits within maxEdge on the long side, keeping the aspect ratio; never upscales. */
export function fitWithin(width: number, height: number, maxEdge = PHOTO_MAX_EDGE): { width: number; height: number } {
  if (width <= 0 || height <= 0) throw new RangeError('An image needs a positive size.');
  const long = Math.max(width, height);
  if (long <= maxEdge) return { width, height };
  const scale = maxEdge / long;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Decode, downscale and re-encode a camera photo as JPEG; returns the blob row to commit with the idea. */
export async function preparePhoto(file: Blob, now: number = Date.now()): Promise<BlobRow> {
  const bitmap = await createImageBitmap(file);
  try {
    const { width, height } = fitWithin(bitmap.width, bitmap.height);
    const blob = await encodeJpeg(bitmap, width, height);
    const sha256 = await sha256Hex(new Uint8Array(await blob.arrayBuffer()));
    return { sha256, blob, type: blob.type, width, height, size: blob.size, uploaded: 0, createdAt: now };
  } finally {
    bitmap.close();
  }
}

async function encodeJpeg(bitmap: ImageBitmap, width: number, height: number): Promise<Blob> {
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('No 2D canvas on this device.');
    ctx.drawImage(bitmap, 0, 0, width, height);
    return canvas.convertToBlob({ type: 'image/jpeg', quality: PHOTO_QUALITY });
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('No 2D canvas on this device.');
  ctx.drawImage(bitmap, 0, 0, width, height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('Could not encode the photo.'))), 'image/jpeg', PHOTO_QUALITY),
  );
}

/** The stored photo for an idea, or undefined if this tablet does not hold its bytes. */
export async function loadPhoto(db: { blobs: { get(key: string): Promise<BlobRow | undefined> } }, sha256: string): Promise<Blob | undefined> {
  return (await db.blobs.get(sha256))?.blob;
}
