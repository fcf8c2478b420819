/**
 * The service worker: serves the precached app shell so the tablet starts
 * without network. API calls (/api/) always go to the network: sync state must
 * never come from a cache. Add further event listeners (e.g. Background Sync's
 * `sync`) below the marked section.
 */
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { APP_VERSION } from '../data/appVersion';
import { NedenfraDb } from '../data/db';
import { runSync, SYNC_TAG } from '../data/sync/scheduler';
import { browserTransport } from '../data/sync/transport';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null } | string> };

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// Take control of the first-ever page at once, so the tablet is offline-ready
// after one visit. Updates still wait for SKIP_WAITING (a waiting worker never
// activates on its own), so this never swaps versions under a person's feet.
clientsClaim();

// Every in-app navigation gets index.html (hash routes), except the API and
// the municipal console (/kommune/: its own page, served by the server).
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/^\/api\//, /^\/kommune(\/|$)/] }));

// The page decides when a waiting version may take over (src/ui/UpdatePrompt.tsx).
self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

// ---- Further handlers (Background Sync etc.) go here. ----

// Background Sync (where supported): the page registers the tag when a sync pass
// fails (src/data/sync/scheduler.ts); the browser fires `sync` once the tablet is online,
// even with the app closed. runSync takes the same Web Lock as the tabs, so a
// tab and this worker never push at the same time. A throw makes the browser retry later.

interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}

self.addEventListener('sync', ((event: SyncEvent) => {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil(
    (async () => {
      const db = new NedenfraDb();
      try {
        await runSync(db, browserTransport, { appVersion: APP_VERSION });
      } finally {
        db.close();
      }
    })(),
  );
}) as EventListener);
