/**
 * Build of the tablet app: Preact + a hand-written service worker
 * (injectManifest: we own src/sw/sw.ts so sync can add Background Sync later).
 * The update prompt is ours too (registerType 'prompt', no injected register):
 * src/ui/UpdatePrompt.tsx decides when a waiting version may take over.
 */
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { buildAppVersion } from './scripts/appVersion.js';

export default defineConfig({
  // The one place the app's version is set (read through src/data/appVersion.ts).
  define: { __APP_VERSION__: JSON.stringify(buildAppVersion(import.meta.dirname)) },
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
  ],
  server: {
    // The sync server's default port (src/server).
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
