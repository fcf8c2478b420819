/**
 * zod as the browser build sees it (the app and the service worker):
 * vite.config.ts aliases the bare specifier 'zod' to this module there. It
 * switches off zod's JIT, which compiles object parsers with `new Function`:
 * the server's strict Content-Security-Policy (no 'unsafe-eval',
 * src/server/headers.ts) forbids that, and even zod's probe for it is
 * reported as a violation. The switch is read when a schema is created;
 * importing zod through this module runs it first, however the build splits
 * chunks. The server and the unit tests import zod itself, JIT included.
 */
import { z } from 'zod/v4';

z.config({ jitless: true });

export * from 'zod/v4';
