/**
 * How the sync engine reaches the server: one `fetch`-shaped function. In the
 * browser and the service worker it is the global fetch; in tests it is the
 * server app's in-process `app.fetch`, wrapped by a fault injector. The engine
 * never touches the network any other way.
 */
export interface Transport {
  fetch(req: Request): Promise<Response>;
  /**
   * Whether the device has a network at all, where the platform knows: a
   * request that fails while online means the server is unreachable, not
   * that the network is down. Unknown (absent) counts as offline.
   */
  online?(): boolean;
}

/** The platform's own fetch (window or service worker) and its idea of being online. */
export const browserTransport: Transport = {
  fetch: (req) => fetch(req),
  online: () => globalThis.navigator?.onLine !== false,
};
