/**
 * P6c's chart: p99 push latency and throughput against the number of tablets,
 * one line per database, as a small self-contained SVG (no chart library in
 * the bench). Two panels side by side; x is the tablets on a log scale.
 */
import type { CurvePoint } from './serverBench';

const W = 360;
const H = 240;
const M = { left: 56, right: 16, top: 32, bottom: 44 };
const COLORS = { sqlite: '#1d4f5e', postgres: '#b5472d' } as const;
const LABELS = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** A round upper bound and 4 ticks for a linear axis from 0. */
function niceMax(v: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(v, 1e-9)));
  return ([1, 2, 2.5, 5, 10].find((m) => m * p >= v) ?? 10) * p;
}

function panel(points: CurvePoint[], value: (p: CurvePoint) => number, title: string, unit: string, dx: number, goal?: number): string {
  const xs = [...new Set(points.map((p) => p.tablets))].sort((a, b) => a - b);
  const [x0, x1] = [Math.log(xs[0]!), Math.log(xs[xs.length - 1]!)];
  const top = niceMax(Math.max(...points.map(value), goal ?? 0));
  const px = (t: number) => dx + M.left + ((Math.log(t) - x0) / (x1 - x0 || 1)) * (W - M.left - M.right);
  const py = (v: number) => M.top + (1 - v / top) * (H - M.top - M.bottom);
  const out: string[] = [`<text x="${dx + W / 2}" y="18" text-anchor="middle" font-weight="bold">${esc(title)}</text>`];
  for (let i = 0; i <= 4; i++) {
    const v = (top * i) / 4;
    out.push(
      `<line x1="${dx + M.left}" x2="${dx + W - M.right}" y1="${py(v)}" y2="${py(v)}" stroke="#ddd"/>`,
      `<text x="${dx + M.left - 6}" y="${py(v) + 4}" text-anchor="end">${Math.round(v).toLocaleString('en')}</text>`,
    );
  }
  for (const t of xs) out.push(`<text x="${px(t)}" y="${H - M.bottom + 16}" text-anchor="middle">${t}</text>`);
  out.push(`<text x="${dx + W / 2}" y="${H - 8}" text-anchor="middle">tablets pushing at once (${unit})</text>`);
  if (goal !== undefined)
    out.push(
      `<line x1="${dx + M.left}" x2="${dx + W - M.right}" y1="${py(goal)}" y2="${py(goal)}" stroke="#888" stroke-dasharray="4 3"/>`,
      `<text x="${dx + W - M.right}" y="${py(goal) - 4}" text-anchor="end" fill="#555">goal ${goal} ms (P6)</text>`,
    );
  for (const kind of ['sqlite', 'postgres'] as const) {
    const line = points.filter((p) => p.backend === kind).sort((a, b) => a.tablets - b.tablets);
    if (line.length === 0) continue;
    out.push(
      `<polyline fill="none" stroke="${COLORS[kind]}" stroke-width="2" points="${line.map((p) => `${px(p.tablets).toFixed(1)},${py(value(p)).toFixed(1)}`).join(' ')}"/>`,
      ...line.map((p) => `<circle cx="${px(p.tablets).toFixed(1)}" cy="${py(value(p)).toFixed(1)}" r="3" fill="${COLORS[kind]}"/>`),
    );
  }
  return out.join('\n');
}

export function curveSvg(points: CurvePoint[], mutations: number): string {
  const legend = (['sqlite', 'postgres'] as const)
    .map(
      (k, i) =>
        `<rect x="${M.left + i * 120}" y="${H + 6}" width="12" height="12" fill="${COLORS[k]}"/><text x="${M.left + i * 120 + 18}" y="${H + 16}">${LABELS[k]}</text>`,
    )
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${H + 28}" viewBox="0 0 ${2 * W} ${H + 28}" font-family="sans-serif" font-size="11">`,
    `<title>P6c: p99 push latency and throughput against tablets pushing ${mutations} mutations each at once</title>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    panel(points, (p) => p.p99, 'p99 push latency (ms)', 'log scale', 0, 500),
    panel(points, (p) => p.throughput, 'throughput (mutations/s)', 'log scale', W),
    legend,
    '</svg>',
    '',
  ].join('\n');
}
