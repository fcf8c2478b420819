/**
 * Single sign-on end to end: a real OpenID Connect provider (oidc-provider,
 * started here) and the real server configured by OIDC_* variables, in
 * Chromium, on SQLite and PostgreSQL. The provider's own sign-in and consent
 * pages are filled in as a person would; the console's role comes from the
 * `roles` claim through OIDC_ROLE_MAP; a person whose claims map to no role
 * is refused.
 */
import type { Server } from 'node:http';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startRealServer, type RealServer } from './consoleHarness';
import { expectNoAxeViolations, launchBrowser, type Browser } from './harness';

const PEOPLE: Record<string, { name: string; roles: string[] }> = {
  ola: { name: 'Ola Veileder', roles: ['Nedenfra.Veileder', 'Alle ansatte'] },
  per: { name: 'Per Uten Rolle', roles: ['Alle ansatte'] },
};

async function startProvider(issuerPort: number, redirect: string): Promise<Server> {
  const provider = new Provider(`http://127.0.0.1:${issuerPort}`, {
    clients: [
      {
        client_id: 'nedenfra-console',
        client_secret: 'a-test-secret-that-is-long-enough-1234',
        redirect_uris: [redirect],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    scopes: ['openid', 'email', 'profile', 'roles'],
    claims: { email: ['email', 'email_verified'], profile: ['name'], roles: ['roles'] },
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['nedenfra-e2e-cookie-key'] },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({
        sub: id,
        email: `${id}@testvik.kommune.no`,
        email_verified: true,
        name: PEOPLE[id]?.name ?? id,
        roles: PEOPLE[id]?.roles ?? [],
      }),
    }),
  });
  return new Promise((resolve) => {
    const server = provider.listen(issuerPort, () => resolve(server));
  });
}

describe.each(['sqlite', 'postgres'] as const)('single sign-on on %s', (kind) => {
  let provider: Server;
  let server: RealServer;
  let browser: Browser;

  beforeAll(async () => {
    const [issuerPort, serverPort] = [await freePort(), await freePort()];
    provider = await startProvider(issuerPort, `http://127.0.0.1:${serverPort}/kommune/api/sso/callback`);
    server = await startRealServer(
      kind,
      {
        OIDC_ISSUER: `http://127.0.0.1:${issuerPort}`,
        OIDC_CLIENT_ID: 'nedenfra-console',
        OIDC_CLIENT_SECRET: 'a-test-secret-that-is-long-enough-1234',
        OIDC_SCOPES: 'openid email profile roles',
        OIDC_ROLE_CLAIM: 'roles',
        OIDC_ROLE_MAP: 'Nedenfra.Admin=administrator,Nedenfra.Veileder=adviser',
      },
      serverPort,
    );
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await new Promise((r) => provider?.close(r));
  });

  async function signInThroughProvider(login: string) {
    const context = await browser.newContext({ locale: 'nb-NO' });
    const page = await context.newPage();
    await page.goto(`${server.url}/kommune/`);
    await page.getByRole('heading', { level: 1, name: 'Logg inn' }).waitFor();
    await expectNoAxeViolations(page, 'sign-in page with SSO');
    await page.getByRole('link', { name: 'Logg inn med kommunens konto (SSO)' }).click();
    // The provider's pages (oidc-provider's development interactions).
    await page.getByPlaceholder('Enter any login').fill(login);
    await page.getByPlaceholder('and password').fill('whatever');
    await page.getByRole('button', { name: /sign-in/i }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    return { context, page };
  }

  it('a person with a mapped role signs in with the provider and gets that role', { timeout: 120_000 }, async () => {
    const { context, page } = await signInThroughProvider('ola');
    await page.getByRole('heading', { level: 1, name: 'Oversikt' }).waitFor();
    await page.getByText('Logget inn som Ola Veileder (utviklingsveileder / styringsgruppe)').waitFor();
    // An adviser reads; administration is not in the menu.
    expect(await page.getByRole('link', { name: 'Kontoer' }).count()).toBe(0);
    const storage = await server.openStorage();
    try {
      const account = await storage.read((tx) => tx.console.findAccountByEmail('ola@testvik.kommune.no'));
      expect(account).toMatchObject({ role: 'adviser', passwordHash: null });
      expect(account?.oidcSubject).toMatch(/^http:\/\/127\.0\.0\.1:\d+ ola$/);
      const audit = await storage.read((tx) => tx.console.listAudit(Number.MAX_SAFE_INTEGER, 10));
      expect(audit.map((e) => e.action)).toEqual(['session.signIn', 'account.create']);
      expect(audit[0]!.detail).toEqual({ method: 'sso' });
    } finally {
      await storage.close();
    }
    await context.close();
  });

  it('a person whose claims map to no role is refused with a message', { timeout: 120_000 }, async () => {
    const { context, page } = await signInThroughProvider('per');
    await page.getByText('Kontoen din har ingen rolle i Nedenfra').waitFor();
    await page.getByRole('heading', { level: 1, name: 'Logg inn' }).waitFor();
    await expectNoAxeViolations(page, 'sign-in page after a refused SSO');
    await context.close();
  });
});
