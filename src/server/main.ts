/**
 * Starts the municipal sync server: API + built PWA on one port, over HTTPS
 * when TLS_CERT/TLS_KEY are set. Settings: src/server/config.ts (PORT, HOST,
 * PUBLIC_URL, TLS_CERT, TLS_KEY, TRUST_PROXY, CORS_ORIGINS, PHOTO_QUOTA_MB),
 * and DATABASE_URL or NEDENFRA_DB for the database.
 */
import { serve } from '@hono/node-server';
import { existsSync, readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { networkInterfaces } from 'node:os';
import { fileURLToPath } from 'node:url';
import { openStorageFromEnv } from './admin';
import { createApp } from './app';
import { insecureUrlWarning, serverConfigFromEnv } from './config';
import { consoleSettingsFromEnv } from './console/context';
import { jsonLogger } from './log';
import { startRetention } from './retention';
import { backupDirFrom } from './backups';

const config = serverConfigFromEnv(process.env);
const dist = fileURLToPath(new URL('../../dist', import.meta.url));
const staticDir = existsSync(dist) ? dist : undefined;
const log = jsonLogger();

const storage = await openStorageFromEnv(process.env, log);
const app = createApp({
  storage,
  log,
  trustProxy: config.trustProxy,
  corsOrigins: config.corsOrigins,
  photoQuotaBytesPerUnit: config.photoQuotaBytesPerUnit,
  console: consoleSettingsFromEnv(process.env),
  backupDir: backupDirFrom(process.env),
  ...(staticDir ? { staticDir } : {}),
});
// Tombstones and the conflict log go after the retention period, by the server itself (retention.ts).
const stopRetention = startRetention(storage, config.retention, log);
const tls = config.tls && { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) };
const listen = { fetch: app.fetch, port: config.port, hostname: config.host };
const server = serve(tls ? { ...listen, createServer: createHttpsServer, serverOptions: tls } : listen, (info) => {
  // Tablets need an address on the local network, not localhost.
  const lan = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
  const url =
    config.publicUrl ?? `${tls ? 'https' : 'http'}://${config.host === '0.0.0.0' ? (lan ?? 'localhost') : config.host}:${info.port}`;
  const warning = insecureUrlWarning(url);
  log.info('listening', { url, storage: storage.kind, https: Boolean(tls), trustProxy: config.trustProxy, staticDir: staticDir ?? null });
  if (warning) log.warn('insecureAddress', { url });
  console.log(`
Nedenfra sync server on ${url} (${storage.kind}${staticDir ? ', serving dist/' : ', API only: run the build to serve the app'})
${warning ? `\n${warning}\n` : ''}
Enroll a tablet:
  npm run admin -- unit create --municipality "Kommune" --name "Avdeling"   # prints the unit id
  npm run admin -- code create --unit <unit-id> --url ${url}               # one-time code + QR
Then open ${url} on the tablet and scan the QR code or type the code.

The municipal console is at ${url}/kommune/ (first administrator: npm run admin -- account create --role administrator --email … --name …).
`);
});

let stopping = false;
function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info('shutdown', { signal });
  stopRetention();
  server.close(() => {
    void storage.close().then(() => process.exit(0));
  });
  setTimeout(() => process.exit(1), 10_000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
