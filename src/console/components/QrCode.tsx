/** A QR code drawn as one SVG path from the server's module matrix (no QR library in the browser). */
import type { QrMatrix } from '../../domain/console/api';

const QUIET = 4;

export function QrCode({ qr, label }: { qr: QrMatrix; label: string }) {
  let d = '';
  for (let y = 0; y < qr.size; y++)
    for (let x = 0; x < qr.size; x++) if (qr.modules[y * qr.size + x] === '1') d += `M${x + QUIET} ${y + QUIET}h1v1h-1z`;
  const side = qr.size + 2 * QUIET;
  return (
    <svg class="qr" viewBox={`0 0 ${side} ${side}`} role="img" aria-label={label} shape-rendering="crispEdges">
      <rect width={side} height={side} fill="#ffffff" />
      <path d={d} fill="#000000" />
    </svg>
  );
}
