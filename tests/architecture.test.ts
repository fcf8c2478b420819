/**
 * Layering, checked by a test rather than by memory:
 *   domain ← data ← ui;  domain ← server;  sw may use data + domain.
 * The domain imports nothing from the rest of src (it is shared by the tablet
 * and the server), and nothing in the tablet code imports the server.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../src');
const LAYERS = ['domain', 'data', 'ui', 'sw', 'server'] as const;
type Layer = (typeof LAYERS)[number];
const ALLOWED: Record<Layer, Layer[]> = {
  domain: [],
  data: ['domain'],
  ui: ['domain', 'data'],
  sw: ['domain', 'data'],
  server: ['domain'],
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

describe('architecture', () => {
  it('every module imports only from the layers below it', () => {
    const violations: string[] = [];
    for (const file of files(SRC)) {
      const layer = layerOf(file);
      if (!layer) continue;
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
        const target = layerOf(path.resolve(path.dirname(file), match[1]!));
        if (target && target !== layer && !ALLOWED[layer].includes(target))
          violations.push(`${path.relative(SRC, file)} imports ${match[1]} (${layer} → ${target})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('the domain core does no IO', () => {
    const io = /from\s+['"](dexie|node:|fs|pg|better-sqlite3|hono|preact|zustand)/;
    const offenders = files(path.join(SRC, 'domain')).filter((f) => io.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
