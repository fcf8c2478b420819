/**
 * Build of the tablet app: Preact + a hand-written service worker
 * (injectManifest: we own src/sw/sw.ts so sync can add Background Sync later).
 * The update prompt is ours too (registerType 'prompt', no injected register):
 * src/ui/UpdatePrompt.tsx decides when a waiting version may take over.
 *
 * The municipal console is a build of its own (vite.console.config.ts, run
 * after this one by `npm run build`): no chunk of the tablet is shared with
 * or shaped by it, and this service worker, built before the console exists,
 * cannot precache any of it. The bench's P1 checks that the tablet's shell is
 * the same with or without the console.
 * Every text file of the build also gets a brotli and a gzip twin, which the
 * server sends to browsers that accept them (src/server/static.ts).
 */
import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { buildAppVersion } from './scripts/appVersion.js';
import { precompress } from './scripts/precompress.js';

/** zod without its JIT in the browser (see src/browserZod.ts); the console's build and the service worker's inherit this. */
export const browserZod = { find: /^zod$/, replacement: fileURLToPath(new URL('./src/browserZod.ts', import.meta.url)) };

export default defineConfig({
  // The one place the app's version is set (read through src/data/appVersion.ts).
  define: { __APP_VERSION__: JSON.stringify(buildAppVersion(import.meta.dirname)) },
  resolve: {
    alias: [browserZod],
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
    precompress(),
  ],
  server: {
    // The sync server's default port (src/server).
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
