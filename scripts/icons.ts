/**
 * Draws the app icons (public/icons/*.png) with raw PNG encoding, so no image
 * tool is needed: a sprout growing up from a ground line ("from below").
 * Run: npx tsx scripts/icons.ts
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const BG = [0x1d, 0x4f, 0x5e];
const FG = [0xf6, 0xf4, 0xef];
const ACCENT = [0xf2, 0xb1, 0x3c];

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** scale: how much of the canvas the drawing may use (maskable icons keep to the safe zone). */
function icon(size: number, scale: number, rounded: boolean): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      // normalised coordinates in [-1, 1], shrunk by scale
      const u = ((x + 0.5) / size) * 2 - 1;
      const v = ((y + 0.5) / size) * 2 - 1;
      const px = u / scale;
      const py = v / scale;
      let color = BG;
      let alpha = 255;
      if (rounded) {
        const r = 0.35;
        const dx = Math.max(Math.abs(u) - (1 - r), 0);
        const dy = Math.max(Math.abs(v) - (1 - r), 0);
        if (dx * dx + dy * dy > r * r) alpha = 0;
      }
      const ground = py > 0.45 && py < 0.6 && Math.abs(px) < 0.65;
      const stem = Math.abs(px) < 0.07 && py > -0.35 && py <= 0.45;
      const leftLeaf = ((px + 0.3) / 0.3) ** 2 + ((py + 0.05) / 0.14) ** 2 < 1 && px < 0;
      const rightLeaf = ((px - 0.3) / 0.3) ** 2 + ((py + 0.3) / 0.14) ** 2 < 1 && px > 0;
      const bud = px * px + (py + 0.5) ** 2 < 0.14 ** 2;
      if (ground || stem || leftLeaf || rightLeaf) color = FG;
      if (bud) color = ACCENT;
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = color[0]!;
      raw[o + 1] = color[1]!;
      raw[o + 2] = color[2]!;
      raw[o + 3] = alpha;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const out = new URL('../public/icons/', import.meta.url);
writeFileSync(new URL('icon-192.png', out), icon(192, 0.9, true));
writeFileSync(new URL('icon-512.png', out), icon(512, 0.9, true));
// Maskable: full-bleed background, drawing inside the 80 % safe zone.
writeFileSync(new URL('icon-maskable-512.png', out), icon(512, 0.7, false));
