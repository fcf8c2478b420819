/**
 * P1: what the app shell makes a tablet download and parse first, gzipped:
 * the entry script, its modulepreloads and stylesheets, as listed in the
 * built index.html of the build `npm run build` ships (the tablet's, then the
 * console's into the same folder). Checked against the tablet built alone:
 * the console must neither share nor shape a single file of the shell.
 * Composition: which package each shell byte comes from. Baseline: Preact +
 * Dexie alone, built with the same vite into a temp dir (the floor any app on
 * this stack pays).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'vite';

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

export interface ShellBuild {
  shell: { file: string; gzip: number }[];
  /** Per package (or `app: src/<folder>`), the share of the shell's gzipped bytes (estimated by each module's share of its chunk). */
  composition: { what: string; minified: number; gzip: number }[];
}

/** Which package (or app folder) a module id belongs to. */
function owner(id: string): string {
  const pkg = /node_modules[/\\]((?:@[^/\\]+[/\\])?[^/\\]+)/.exec(id);
  if (pkg) return pkg[1]!.replace(/\\/g, '/');
  const app = /[/\\]src[/\\](ui[/\\]i18n|[^/\\]+)/.exec(id);
  if (app) return app[1] === 'ui/i18n' ? 'app: strings and i18n (src/ui/i18n)' : `app: src/${app[1]!}`;
  return 'vite/rolldown runtime';
}

/**
 * Build what `npm run build` ships into `outDir`: the tablet (vite.config.ts), then the console
 * (vite.console.config.ts) into the same folder; returns the tablet's shell and its composition.
 */
export async function buildShipped(outDir: string, withConsole = true): Promise<ShellBuild> {
  const modules = new Map<string, Array<{ id: string; length: number }>>();
  const record: Plugin = {
    name: 'nedenfra-bench-composition',
    generateBundle(_options, bundle) {
      for (const [file, chunk] of Object.entries(bundle))
        if (chunk.type === 'chunk')
          modules.set(
            file,
            Object.entries(chunk.modules).map(([id, m]) => ({ id, length: m.renderedLength })),
          );
    },
  };
  await build({ root: ROOT, logLevel: 'silent', build: { outDir, emptyOutDir: true }, plugins: [record] });
  if (withConsole)
    await build({ root: ROOT, configFile: path.join(ROOT, 'vite.console.config.ts'), logLevel: 'silent', build: { outDir } });
  const shell = shellAssets(outDir);
  const byOwner = new Map<string, { minified: number; gzip: number }>();
  for (const asset of shell) {
    const parts = modules.get(asset.file) ?? [{ id: asset.file.endsWith('.css') ? 'app: styles (CSS)' : asset.file, length: 1 }];
    const total = parts.reduce((sum, m) => sum + m.length, 0) || 1;
    const size = statSync(path.join(outDir, asset.file)).size;
    for (const m of parts) {
      const what = m.id.startsWith('app: ') ? m.id : owner(m.id);
      const entry = byOwner.get(what) ?? { minified: 0, gzip: 0 };
      entry.minified += (size * m.length) / total;
      entry.gzip += (asset.gzip * m.length) / total;
      byOwner.set(what, entry);
    }
  }
  const composition = [...byOwner].map(([what, v]) => ({ what, ...v })).sort((a, b) => b.gzip - a.gzip);
  return { shell, composition };
}

/**
 * The shipped build and the tablet built alone must have the same shell, file
 * for file (names carry content hashes) and byte for byte, and the tablet's
 * service worker must precache nothing of the console. Throws otherwise.
 */
export async function shellWithAndWithoutConsole(tmp: string): Promise<ShellBuild> {
  const shipped = await buildShipped(path.join(tmp, 'shipped'));
  const alone = await buildShipped(path.join(tmp, 'alone'), false);
  const key = (b: ShellBuild) => b.shell.map((s) => `${s.file}:${s.gzip}`).join(',');
  if (key(shipped) !== key(alone))
    throw new Error(`the console changes the tablet's shell: ${key(alone)} alone, ${key(shipped)} with the console`);
  const sw = readFileSync(path.join(tmp, 'shipped', 'sw.js'), 'utf8');
  const precached = [...sw.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]!);
  const consoleFiles = readdirSync(path.join(tmp, 'shipped', 'assets', 'console'));
  if (consoleFiles.length === 0 || !precached.includes('index.html'))
    throw new Error('the shipped build lacks the console or the precache manifest');
  const consoleInPrecache = precached.filter((u) => u.startsWith('kommune/') || consoleFiles.some((f) => u.endsWith(f)));
  if (consoleInPrecache.length > 0) throw new Error(`the tablet's service worker precaches console files: ${consoleInPrecache.join(', ')}`);
  return shipped;
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
