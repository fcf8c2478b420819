/**
 * The console's only way to the server: fetch to /kommune/api with the
 * session cookie, the CSRF token on every state-changing request, JSON
 * bodies, and every answer parsed with the domain's schema before a screen
 * sees it. A 401 ends the session in the store (the sign-in page shows).
 */
import type { z } from 'zod';
import { ConsoleErrorBody } from '../domain/console/api';

export const API = '/kommune/api';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ConsoleErrorBody | null,
  ) {
    super(body?.message ?? `HTTP ${status}`);
  }
}

let csrfToken: string | null = null;
let onUnauthenticated: () => void = () => undefined;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function whenUnauthenticated(fn: () => void): void {
  onUnauthenticated = fn;
}

export async function request<S extends z.ZodType>(
  schema: S,
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  body?: unknown,
): Promise<z.output<S>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') {
    headers['content-type'] = 'application/json';
    if (csrfToken) headers['x-csrf-token'] = csrfToken;
  }
  let res: Response;
  try {
    res = await fetch(`${API}${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(method !== 'GET' ? { body: JSON.stringify(body ?? {}) } : {}),
    });
  } catch {
    throw new ApiError(0, null);
  }
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const parsed = ConsoleErrorBody.safeParse(json);
    const error = new ApiError(res.status, parsed.success ? parsed.data : null);
    if (res.status === 401 && error.body?.error === 'unauthenticated' && path !== '/session') onUnauthenticated();
    throw error;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ApiError(res.status, { error: 'internal', message: 'the server sent an answer this console cannot read' });
  return parsed.data;
}

export const get = <S extends z.ZodType>(schema: S, path: string) => request(schema, 'GET', path);
export const post = <S extends z.ZodType>(schema: S, path: string, body?: unknown) => request(schema, 'POST', path, body);
export const patch = <S extends z.ZodType>(schema: S, path: string, body: unknown) => request(schema, 'PATCH', path, body);
