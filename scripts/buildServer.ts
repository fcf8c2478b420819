/**
 * Builds the sync server (src/server/main.ts) into one JavaScript file,
 * build/server/main.js, that plain `node` runs: `npm start` runs it, so the
 * server does not transpile TypeScript at start (tsx held ≈ 40–50 MB of its
 * memory for the server's whole life; the bench's P8). Packages stay in
 * node_modules (better-sqlite3 is native; nothing is copied). The admin CLI
 * and the tests still run the TypeScript through tsx.
 *
 *   npx tsx scripts/buildServer.ts [outDir]   (default build/server; the bench builds into a temp dir)
 */
import { build } from 'esbuild';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');

export async function buildServer(outDir = path.join(ROOT, 'build/server')): Promise<string> {
  const outfile = path.join(outDir, 'main.js');
  await build({
    entryPoints: [path.join(ROOT, 'src/server/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    // main.ts finds dist/ relative to its own file: build/server/ is as deep as src/server/.
    logLevel: 'warning',
    legalComments: 'none',
  });
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.join(ROOT, 'scripts/buildServer.ts')) {
  const outfile = await buildServer(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(`server built: ${path.relative(process.cwd(), outfile)}`);
}
