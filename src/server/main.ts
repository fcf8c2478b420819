/**
 * Starts the municipal sync server: API + built PWA on one port.
 *   PORT (8080), HOST (0.0.0.0), DATABASE_URL or NEDENFRA_DB, PUBLIC_URL.
 */
import { serve } from '@hono/node-server';
import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { fileURLToPath } from 'node:url';
import { openStorageFromEnv } from './admin';
import { createApp } from './app';
import { jsonLogger } from './log';

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '0.0.0.0';
const dist = fileURLToPath(new URL('../../dist', import.meta.url));
const staticDir = existsSync(dist) ? dist : undefined;
const log = jsonLogger();

const storage = await openStorageFromEnv(process.env, log);
const app = createApp({ storage, log, ...(staticDir ? { staticDir } : {}) });
const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
  // Tablets need an address on the local network, not localhost.
  const lan = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
  const url = process.env.PUBLIC_URL ?? `http://${host === '0.0.0.0' ? (lan ?? 'localhost') : host}:${info.port}`;
  log.info('listening', { url, storage: storage.kind, staticDir: staticDir ?? null });
  console.log(`
Nedenfra sync server on ${url} (${storage.kind}${staticDir ? ', serving dist/' : ', API only: run the build to serve the app'})

Enroll a tablet:
  npm run admin -- unit create --municipality "Kommune" --name "Avdeling"   # prints the unit id
  npm run admin -- code create --unit <unit-id> --url ${url}               # one-time code + QR
Then open ${url} on the tablet and scan the QR code or type the code.
`);
});

let stopping = false;
function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info('shutdown', { signal });
  server.close(() => {
    void storage.close().then(() => process.exit(0));
  });
  setTimeout(() => process.exit(1), 10_000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
