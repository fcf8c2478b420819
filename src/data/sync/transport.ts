/**
 * How the sync engine reaches the server: one `fetch`-shaped function. In the
 * browser and the service worker it is the global fetch; in tests it is the
 * server app's in-process `app.fetch`, wrapped by a fault injector. The engine
 * never touches the network any other way.
 */
export interface Transport {
  fetch(req: Request): Promise<Response>;
}

/** The platform's own fetch (window or service worker). */
export const browserTransport: Transport = {
  fetch: (req) => fetch(req),
};
