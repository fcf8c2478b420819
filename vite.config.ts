/**
 * Build of the tablet app: Preact + a hand-written service worker
 * (injectManifest: we own src/sw/sw.ts so sync can add Background Sync later).
 * The update prompt is ours too (registerType 'prompt', no injected register):
 * src/ui/UpdatePrompt.tsx decides when a waiting version may take over.
 *
 * A second page, the municipal console (kommune/index.html → src/console),
 * is built alongside. Files only the console uses go to assets/console/ and
 * the tablet's service worker precaches none of them, so the tablet
 * downloads nothing more than before.
 * Every text file of the build also gets a brotli and a gzip twin, which the
 * server sends to browsers that accept them (src/server/static.ts).
 */
import preact from '@preact/preset-vite';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { buildAppVersion } from './scripts/appVersion.js';

/**
 * Writes `<file>.br` and `<file>.gz` beside each compressible file of the
 * build, once the service worker is built too (order 'post'); at build time
 * so the best (slowest) settings cost the server nothing. Small files and
 * files that do not shrink are left alone.
 */
function precompress(): Plugin {
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
        const entries = await readdir(outDir, { recursive: true, withFileTypes: true });
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
      },
    },
  };
}

export default defineConfig({
  // The one place the app's version is set (read through src/data/appVersion.ts).
  define: { __APP_VERSION__: JSON.stringify(buildAppVersion(import.meta.dirname)) },
  resolve: {
    // zod without its JIT in the browser (see src/browserZod.ts); the service worker's build inherits this.
    alias: [{ find: /^zod$/, replacement: fileURLToPath(new URL('./src/browserZod.ts', import.meta.url)) }],
  },
  plugins: [
    preact(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'sw.ts',
      registerType: 'prompt',
      injectRegister: false,
      injectManifest: {
        // The app shell only; photos and API responses are never precached.
        globPatterns: ['**/*.{js,css,html}'],
        // The municipal console is an online desktop tool: never on the tablet.
        globIgnores: ['kommune/**', 'assets/console/**'],
      },
      manifest: {
        name: 'Nedenfra',
        short_name: 'Nedenfra',
        description: 'Idéutvikling nedenfra: fang opp ideer fra ansatte, vurder dem og publiser beslutninger – også uten nett.',
        lang: 'nb',
        display: 'standalone',
        start_url: '/',
        scope: '/',
        theme_color: '#1d4f5e',
        background_color: '#f6f4ef',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
    }),
    consoleWithoutManifest(),
    precompress(),
  ],
  build: {
    rolldownOptions: {
      input: { index: path.resolve(import.meta.dirname, 'index.html'), kommune: path.resolve(import.meta.dirname, 'kommune/index.html') },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'kommune' ? 'assets/console/[name]-[hash].js' : 'assets/[name]-[hash].js'),
        chunkFileNames: (chunk) =>
          chunk.moduleIds.length > 0 && chunk.moduleIds.every(consoleOnly) ? 'assets/console/[name]-[hash].js' : 'assets/[name]-[hash].js',
        assetFileNames: (asset) =>
          asset.originalFileNames.some((f) => f.includes('src/console/')) || asset.names.some((n) => n.startsWith('kommune'))
            ? 'assets/console/[name]-[hash][extname]'
            : 'assets/[name]-[hash][extname]',
      },
    },
  },
  server: {
    // The sync server's default port (src/server).
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});

/** The PWA plugin links its manifest into every page; the console is not the tablet app, so it must not offer to install it. */
function consoleWithoutManifest(): Plugin {
  return {
    name: 'nedenfra-console-without-manifest',
    // After vite-plugin-pwa's own (also enforce 'post', and listed before this one).
    enforce: 'post',
    transformIndexHtml: {
      order: 'post',
      handler: (html, ctx) => (ctx.path.startsWith('/kommune/') ? html.replace(/\s*<link rel="manifest"[^>]*>/, '') : html),
    },
  };
}

/** Modules only the console loads: its own code and its chart library. */
function consoleOnly(id: string): boolean {
  return /[/\\]src[/\\]console[/\\]|[/\\]node_modules[/\\](chart\.js|@kurkle)[/\\]/.test(id);
}
