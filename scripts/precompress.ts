/**
 * A vite plugin shared by the tablet's and the console's builds
 * (vite.config.ts, vite.console.config.ts): writes `<file>.br` and
 * `<file>.gz` beside each compressible file the build wrote, once everything
 * of it is written (order 'post': the tablet's service worker is built last);
 * at build time so the best (slowest) settings cost the server nothing
 * (src/server/static.ts sends them). Small files and files that do not shrink
 * are left alone.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** `under`: only these folders of the output (the console's build shares dist/ with the tablet's and leaves its files alone). */
export function precompress(under: readonly string[] = ['.']): Plugin {
  let outDir = '';
  return {
    name: 'nedenfra:precompress',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      sequential: true,
      order: 'post',
      async handler() {
        for (const folder of under) {
          const entries = await readdir(path.join(outDir, folder), { recursive: true, withFileTypes: true });
          for (const entry of entries) {
            if (!entry.isFile() || !/\.(js|mjs|css|html|svg|json|webmanifest|txt)$/.test(entry.name)) continue;
            const file = path.join(entry.parentPath, entry.name);
            const bytes = await readFile(file);
            if (bytes.length < 1024) continue;
            const br = brotliCompressSync(bytes, {
              params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
            });
            const gz = gzipSync(bytes, { level: 9 });
            if (br.length < bytes.length) await writeFile(`${file}.br`, br);
            if (gz.length < bytes.length) await writeFile(`${file}.gz`, gz);
          }
        }
      },
    },
  };
}
