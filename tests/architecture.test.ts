/**
 * Layering, checked by a test rather than by memory (ESLint checks the same
 * with import-x; this test also runs where lint does not):
 *   domain ← data ← ui;  domain ← server;  sw may use data + domain;
 *   console (the municipal web console) may use domain only.
 * The domain imports nothing from the rest of src (it is shared by the tablet
 * and the server), and nothing in the tablet code imports the server. Every
 * kind of import counts: `from '…'`, bare `import '…'` and `import('…')`, and
 * no module may reach itself again through them (no cycles).
 *
 * Each part is also type-checked against its own platform only (tsconfig.json
 * lists the parts): a dependency's types that quietly pull in the DOM library
 * (as preact's JSX types do) would otherwise let server or service-worker code
 * use `window` or `document` without a type error.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const SRC = path.join(ROOT, 'src');
const LAYERS = ['domain', 'data', 'ui', 'sw', 'server', 'console'] as const;
type Layer = (typeof LAYERS)[number];
const ALLOWED: Record<Layer, Layer[]> = {
  domain: [],
  data: ['domain'],
  ui: ['domain', 'data'],
  sw: ['domain', 'data'],
  server: ['domain'],
  console: ['domain'],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : /\.(ts|tsx)$/.test(name) ? [full] : [];
  });
}

function layerOf(file: string): Layer | undefined {
  const top = path.relative(SRC, file).split(path.sep)[0];
  return LAYERS.find((l) => l === top);
}

/** Every relative module specifier in a source file: static, bare and dynamic imports, and re-exports. */
export function relativeImports(source: string): string[] {
  const patterns = [
    /(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/g,
    /import\s+['"](\.[^'"]+)['"]/g,
    /import\(\s*['"](\.[^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((p) => [...source.matchAll(p)].map((m) => m[1]!));
}

function resolveModule(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  return [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')].find(
    (candidate) => existsSync(candidate) && statSync(candidate).isFile(),
  );
}

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files(SRC)) {
    const targets = relativeImports(readFileSync(file, 'utf8')).flatMap((s) => resolveModule(file, s) ?? []);
    graph.set(file, targets);
  }
  return graph;
}

/** Strongly connected components with more than one module (or a self-import): each is a cycle. */
export function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component);
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return found;
}

describe('architecture', () => {
  it('sees every kind of import', () => {
    const source = `import a from './a';\nimport './b';\nconst c = () => import('./c');\nexport * from './d';\nimport { x } from 'preact';`;
    expect(relativeImports(source).sort()).toEqual(['./a', './b', './c', './d']);
  });

  it('finds a cycle, including one through a dynamic import', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cycles(graph).map((c) => c.sort())).toEqual([['a', 'b', 'c']]);
    expect(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('every module imports only from the layers below it', () => {
    const violations: string[] = [];
    for (const [file, targets] of importGraph()) {
      const layer = layerOf(file);
      if (!layer) continue;
      for (const target of targets) {
        const targetLayer = layerOf(target);
        if (targetLayer && targetLayer !== layer && !ALLOWED[layer].includes(targetLayer))
          violations.push(`${path.relative(SRC, file)} imports ${path.relative(SRC, target)} (${layer} → ${targetLayer})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('no module imports itself again through other modules (no cycles, static or dynamic)', () => {
    const found = cycles(importGraph()).map((c) => c.map((f) => path.relative(SRC, f)).sort());
    expect(found).toEqual([]);
  });

  it('the domain core does no IO', () => {
    const io = /from\s+['"](dexie|node:|fs|pg|better-sqlite3|hono|preact|zustand)/;
    const offenders = files(path.join(SRC, 'domain')).filter((f) => io.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});

describe('type environments', () => {
  /** A part's tsconfig, parsed: its own files and the program tsc builds from them (every file it imports, every lib). */
  function typeProgram(part: string): { own: string[]; all: string[] } {
    const parsed = ts.getParsedCommandLineOfConfigFile(
      path.join(ROOT, `tsconfig.${part}.json`),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        },
      },
    );
    if (!parsed) throw new Error(`tsconfig.${part}.json not found`);
    const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
    return { own: parsed.fileNames.map((f) => path.resolve(f)), all: program.getSourceFiles().map((f) => path.resolve(f.fileName)) };
  }
  const platforms = (files: string[]) => ({
    dom: files.some((f) => f.endsWith(`${path.sep}lib.dom.d.ts`)),
    webWorker: files.some((f) => f.endsWith(`${path.sep}lib.webworker.d.ts`)),
    node: files.some((f) => f.includes(`${path.sep}@types${path.sep}node${path.sep}`)),
  });
  const parts = {
    domain: { dom: false, webWorker: false, node: false },
    app: { dom: true, webWorker: false, node: false },
    console: { dom: true, webWorker: false, node: false },
    sw: { dom: false, webWorker: true, node: false },
    server: { dom: false, webWorker: false, node: true },
  };
  const programs = new Map<string, { own: string[]; all: string[] }>();
  const programOf = (part: string) => programs.get(part) ?? programs.set(part, typeProgram(part)).get(part)!;

  it.each(Object.entries(parts))('%s sees only its own platform', (part, expected) => {
    expect(platforms(programOf(part).all)).toEqual(expected);
  });

  it('every source file belongs to a part, and the service worker bundles no screen', () => {
    const owned = new Set(Object.keys(parts).flatMap((part) => programOf(part).own));
    expect(files(SRC).filter((f) => !owned.has(f))).toEqual([]);
    expect(programOf('sw').all.filter((f) => f.startsWith(path.join(SRC, 'ui')))).toEqual([]);
  });
});
