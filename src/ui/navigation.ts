/**
 * Navigation between screens: the route ids, links and the current location.
 * Screens import this module, never routes.tsx (which imports the screens), so
 * there is no import cycle between the route table and what it lists.
 */
import { useEffect, useState } from 'preact/hooks';

export const ROUTE_IDS = [
  'capture',
  'board',
  'idea',
  'sessions',
  'session',
  'session-live',
  'evaluate',
  'decide',
  'change',
  'leader',
  'procedure',
  'unit-settings',
  'other-units',
  'privacy',
  'about',
  'enroll',
  'reset-pin',
  'refused',
] as const;
export type RouteId = (typeof ROUTE_IDS)[number];

export const DEFAULT_ROUTE: RouteId = 'capture';

/** What every screen receives from the router. */
export interface RouteProps {
  /** The part after the route id: `#/idea/123` → "123". */
  param: string | null;
}

export interface Location {
  id: RouteId;
  param: string | null;
}

const isRouteId = (id: string): id is RouteId => (ROUTE_IDS as readonly string[]).includes(id);

export function href(id: RouteId, param?: string): string {
  return param ? `#/${id}/${encodeURIComponent(param)}` : `#/${id}`;
}

/** An unknown route opens the default screen. */
export function parseHash(hash: string): Location {
  const [id = '', param] = hash.replace(/^#\/?/, '').split('/');
  return { id: isRouteId(id) ? id : DEFAULT_ROUTE, param: param ? decodeURIComponent(param) : null };
}

export function navigate(id: RouteId, param?: string): void {
  window.location.hash = href(id, param);
}

/** Go to a screen in place of the current history entry (e.g. away from a used `#enroll=CODE` link). */
export function replaceRoute(id: RouteId, param?: string): void {
  history.replaceState(history.state, '', href(id, param));
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function useLocation(): Location {
  const [location, setLocation] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setLocation(parseHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return location;
}
