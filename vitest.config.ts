/**
 * Test projects: `unit` (fast: domain, data on fake-indexeddb, screens on
 * happy-dom, server on real SQLite + PostgreSQL) and `e2e` (real Chromium
 * against the built app). `npm test` runs both; see package.json.
 */
import preact from '@preact/preset-vite';
import { defineConfig } from 'vitest/config';
import { buildAppVersion } from './scripts/appVersion.js';

export default defineConfig({
  plugins: [preact()],
  // The same build-time version as vite.config.ts, so screens and sync requests under test carry it too.
  define: { __APP_VERSION__: JSON.stringify(buildAppVersion(import.meta.dirname)) },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/**/*.test.{ts,tsx}'],
          exclude: ['tests/e2e/**', 'node_modules/**'],
          environment: 'node',
          // One throwaway PostgreSQL cluster shared by every server test file.
          globalSetup: ['tests/server/globalSetup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
