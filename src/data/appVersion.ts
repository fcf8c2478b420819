/**
 * This build's version ("0.1.0+1a2b3c4d"), set in ONE place at build time
 * (scripts/appVersion.ts through vite's `define`). The About screen shows it,
 * sync and enrollment requests carry it, and the service worker sends it too.
 * "dev" only where no build defined it.
 */
declare const __APP_VERSION__: string | undefined;

export const APP_VERSION: string = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : 'dev';
