/**
 * A console client for server tests: speaks to `app.fetch` in-process like a
 * browser on the server's origin would (cookie jar, Origin header, the CSRF
 * token from GET /session), so tests can also leave any of that out.
 */
import { runAdminCommand } from '../../src/server/admin';
import type { TestServer } from './helpers';

export const ORIGIN = 'http://server';

export interface Sent {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
  text: string;
}

export class ConsoleClient {
  cookie: string | null = null;
  csrf: string | null = null;

  constructor(readonly server: TestServer) {}

  async send(
    method: string,
    path: string,
    opts: { body?: unknown; raw?: BodyInit; headers?: Record<string, string>; csrf?: boolean; origin?: string | null } = {},
  ): Promise<Sent> {
    const headers: Record<string, string> = { ...opts.headers };
    if (this.cookie) headers.cookie = this.cookie;
    if (opts.origin !== null && method !== 'GET') headers.origin = opts.origin ?? ORIGIN;
    if (opts.body !== undefined || (method !== 'GET' && opts.raw === undefined)) headers['content-type'] ??= 'application/json';
    if (opts.csrf !== false && this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    const res = await this.server.app.fetch(
      new Request(`${ORIGIN}/kommune/api${path}`, {
        method,
        headers,
        body: opts.raw ?? (method === 'GET' ? null : JSON.stringify(opts.body ?? {})),
      }),
    );
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const [pair] = setCookie.split(';');
      this.cookie = /=$/.test(pair!) || /Max-Age=0/i.test(setCookie) ? null : pair!;
    }
    // Keep a byte order mark (Response.text() would drop it): the CSV export must start with one.
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // CSV or empty
    }
    return { status: res.status, body, headers: res.headers, text };
  }

  get = (path: string) => this.send('GET', path);
  post = (path: string, body: unknown = {}) => this.send('POST', path, { body });
  patch = (path: string, body: unknown) => this.send('PATCH', path, { body });

  async signIn(email: string, password: string): Promise<Sent> {
    const r = await this.post('/session', { email, password });
    if (r.status === 200) this.csrf = r.body.csrfToken as string;
    return r;
  }
}

/** The token from a set-up/reset link (the part after #/password/). */
export const linkToken = (text: string) => /#\/password\/([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';

export const PASSWORD = 'riktig hest batteri stift';

/** An account made with the admin CLI, its password set through the link, signed in. */
export async function consoleAccount(
  server: TestServer,
  role: 'administrator' | 'adviser' | 'unitLeader',
  email: string,
  unitId?: string,
): Promise<ConsoleClient> {
  const out = await runAdminCommand(server.storage, [
    'account',
    'create',
    '--role',
    role,
    '--email',
    email,
    '--name',
    `Test ${role}`,
    ...(unitId ? ['--unit', unitId] : []),
    '--url',
    ORIGIN,
  ]);
  const client = new ConsoleClient(server);
  const set = await client.post('/password', { token: linkToken(out), password: PASSWORD });
  if (set.status !== 200) throw new Error(`set password: ${set.status} ${set.text}`);
  const signed = await client.signIn(email, PASSWORD);
  if (signed.status !== 200) throw new Error(`sign in: ${signed.status} ${signed.text}`);
  return client;
}
