/**
 * Build of the municipal console (kommune/index.html → src/console), run by
 * `npm run build` after the tablet's (vite.config.ts), into the same dist/:
 * its page at dist/kommune/ and every file of its own under
 * dist/assets/console/. A build of its own so that nothing of the tablet is
 * shared with or shaped by it (the two once shared chunks such as Preact's
 * JSX runtime, which grew the tablet's first load), and the tablet's service
 * worker, built before this, never precaches it. No PWA plugin: the console
 * is an online desktop tool and offers no install.
 */
import preact from '@preact/preset-vite';
import path from 'node:path';
import { defineConfig } from 'vite';
import { precompress } from './scripts/precompress.js';
import { browserZod } from './vite.config.js';

export default defineConfig({
  resolve: { alias: [browserZod] },
  plugins: [preact(), precompress(['kommune', 'assets/console'])],
  build: {
    // dist/ holds the tablet's build, made just before: keep it.
    emptyOutDir: false,
    assetsDir: 'assets/console',
    rolldownOptions: { input: { kommune: path.resolve(import.meta.dirname, 'kommune/index.html') } },
  },
});
