/**
 * P1: what the app shell makes a tablet download and parse first, gzipped:
 * the entry script, its modulepreloads and stylesheets, as listed in the
 * built dist/index.html. Baseline: Preact + Dexie alone, built with the same
 * vite into a temp dir (the floor any app on this stack pays).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

export const ROOT = path.resolve(import.meta.dirname, '..');

const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

/** Initial JS+CSS files referenced by an index.html, gzipped bytes each. */
export function shellAssets(distDir: string): { file: string; gzip: number }[] {
  const html = readFileSync(path.join(distDir, 'index.html'), 'utf8');
  const refs = new Set<string>();
  for (const m of html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)) refs.add(m[1]!);
  for (const m of html.matchAll(/<link[^>]*rel="(?:modulepreload|stylesheet)"[^>]*href="([^"]+)"/g)) refs.add(m[1]!);
  if (refs.size === 0) throw new Error(`no entry script or stylesheet found in ${distDir}/index.html`);
  return [...refs].map((ref) => {
    const file = path.join(distDir, ref.replace(/^\//, ''));
    return { file: path.relative(distDir, file), gzip: gz(file) };
  });
}

/** Build a tiny page importing preact and dexie (used, so nothing is tree-shaken away). */
export async function baselineShell(): Promise<{ file: string; gzip: number }[]> {
  // Inside node_modules/ so preact and dexie resolve from the project's own install.
  const dir = mkdtempSync(path.join(ROOT, 'node_modules', '.nedenfra-bench-p1-'));
  try {
    const src = path.join(dir, 'src');
    mkdirSync(src);
    writeFileSync(
      path.join(src, 'index.html'),
      '<!doctype html><html><head><script type="module" src="./main.js"></script></head><body><div id="app"></div></body></html>',
    );
    writeFileSync(
      path.join(src, 'main.js'),
      `import { h, render } from 'preact';
import { useState } from 'preact/hooks';
import Dexie from 'dexie';
const db = new Dexie('baseline');
db.version(1).stores({ ideas: 'id' });
function App() { const [n, setN] = useState(0); return h('button', { onClick: () => db.table('ideas').put({ id: String(n) }).then(() => setN(n + 1)) }, String(n)); }
render(h(App, null), document.getElementById('app'));
`,
    );
    await build({
      root: src,
      configFile: false,
      logLevel: 'silent',
      cacheDir: path.join(dir, '.vite'),
      build: { outDir: path.join(dir, 'dist'), emptyOutDir: true },
    });
    return shellAssets(path.join(dir, 'dist'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** True when dist/ is older than any file under src/ or index.html/vite.config.ts. */
export function distIsStale(): boolean {
  let distTime: number;
  try {
    distTime = statMtime(path.join(ROOT, 'dist/index.html'));
  } catch {
    return true;
  }
  const newest = (dir: string): number => {
    let t = 0;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      t = Math.max(t, e.isDirectory() ? newest(p) : statMtime(p));
    }
    return t;
  };
  return (
    Math.max(newest(path.join(ROOT, 'src')), statMtime(path.join(ROOT, 'index.html')), statMtime(path.join(ROOT, 'vite.config.ts'))) >
    distTime
  );
}

function statMtime(p: string): number {
  return statSync(p).mtimeMs;
}
