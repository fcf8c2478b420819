/**
 * The console's sign-in, sessions, CSRF, throttling, roles, units, tablets
 * and audit log, on both databases, through the real app in-process.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../src/domain';
import { runAdminCommand } from '../../src/server/admin';
import { ConsoleClient, consoleAccount, linkToken, ORIGIN, PASSWORD } from './consoleClient';
import { serverBackends, TestServer, type TestDb } from './helpers';

describe.each(serverBackends())('console on %s', (_kind, backend) => {
  let db: TestDb;
  beforeAll(() => backend.setup(), 60_000);
  afterAll(() => backend.teardown());
  afterEach(async () => db?.close());

  it('the first administrator: CLI link → own password → signed in; the link works once', async () => {
    db = await backend.fresh();
    const s = new TestServer(db.storage);
    const out = await runAdminCommand(db.storage, [
      'account',
      'create',
      '--role',
      'administrator',
      '--email',
      'Kari@Kommune.no',
      '--name',
      'Kari',
      '--url',
      ORIGIN,
    ]);
    expect(out).toContain('kari@kommune.no (administrator)');
    expect(out).toMatch(/http:\/\/server\/kommune\/#\/password\/[A-Za-z0-9_-]{43}/);
    const token = linkToken(out);
    const c = new ConsoleClient(s);
    expect((await c.get('/session')).status).toBe(401);
    expect((await c.post('/password', { token, password: 'kort' })).status).toBe(400);
    expect((await c.post('/password', { token, password: PASSWORD })).status).toBe(200);
    expect((await c.post('/password', { token, password: PASSWORD })).body.error).toBe('invalidLink');
    const signed = await c.signIn('kari@kommune.no', PASSWORD);
    expect(signed.status).toBe(200);
    expect(signed.body.account).toMatchObject({ email: 'kari@kommune.no', role: 'administrator', hasPassword: true });
    const cookie = signed.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/); // plain HTTP here; see the HTTPS case below
    expect((await c.get('/session')).body.account).toMatchObject({ email: 'kari@kommune.no' });
    // The CLI refuses a second account with the same e-mail, and bad input, with a clear message.
    await expect(
      runAdminCommand(db.storage, ['account', 'create', '--role', 'adviser', '--email', 'kari@kommune.no', '--name', 'X']),
    ).rejects.toThrow(/exists/);
    await expect(runAdminCommand(db.storage, ['account', 'create', '--role', 'boss', '--email', 'a@b.no', '--name', 'X'])).rejects.toThrow(
      /--role/,
    );
  });

  it('cookies are Secure and __Host- prefixed on HTTPS', async () => {
    db = await backend.fresh();
    const s = new TestServer(db.storage);
    const out = await runAdminCommand(db.storage, [
      'account',
      'create',
      '--role',
      'adviser',
      '--email',
      'a@k.no',
      '--name',
      'A',
      '--url',
      ORIGIN,
    ]);
    await new ConsoleClient(s).post('/password', { token: linkToken(out), password: PASSWORD });
    const res = await s.app.fetch(
      new Request('https://kommune.example/kommune/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://kommune.example' },
        body: JSON.stringify({ email: 'a@k.no', password: PASSWORD }),
      }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/^__Host-nedenfra_console=.*; Path=\/; .*Secure/);
  });

  it('state-changing requests need the CSRF token, this origin and JSON', async () => {
    db = await backend.fresh();
    const s = new TestServer(db.storage);
    const admin = await consoleAccount(s, 'administrator', 'admin@k.no');
    const unit = { municipality: 'Steinkjer', name: 'Renovasjon' };
    expect((await admin.send('POST', '/units', { body: unit, csrf: false })).status).toBe(403);
    expect((await admin.send('POST', '/units', { body: unit, headers: { 'x-csrf-token': 'x'.repeat(43) }, csrf: false })).status).toBe(403);
    expect((await admin.send('POST', '/units', { body: unit, origin: 'https://evil.example' })).status).toBe(403);
    expect((await admin.send('POST', '/units', { body: unit, headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
    const form = await admin.send('POST', '/units', {
      raw: 'municipality=x&name=y',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(400);
    // Even signing in must come from this origin (login CSRF).
    expect(
      (
        await new ConsoleClient(s).send('POST', '/session', {
          body: { email: 'admin@k.no', password: PASSWORD },
          origin: 'https://evil.example',
        })
      ).status,
    ).toBe(403);
    expect((await admin.post('/units', unit)).status).toBe(201);
    expect((await admin.get('/units')).body.units).toHaveLength(1);
  });

  it('throttles sign-in per account; a wrong e-mail and a wrong password look the same', async () => {
    db = await backend.fresh();
    const s = new TestServer(db.storage);
    await consoleAccount(s, 'adviser', 'ola@k.no');
    const c = new ConsoleClient(s);
    const unknown = await c.signIn('nobody@k.no', PASSWORD);
    const wrong = await c.signIn('ola@k.no', 'feil passord her');
    expect([unknown.status, unknown.body.error]).toEqual([401, 'badCredentials']);
    expect(wrong.body).toEqual(unknown.body);
    for (let i = 0; i < 4; i++) expect((await c.signIn('ola@k.no', 'feil passord her')).status).toBe(401);
    // Five wrong attempts in the window were all it gets; now even the right password waits.
    const throttled = await c.signIn('ola@k.no', PASSWORD);
    expect(throttled.status).toBe(429);
    expect(throttled.body.retryAfterSeconds).toBeGreaterThan(0);
    // Another account from the same address is not locked out by that.
    await consoleAccount(s, 'adviser', 'per@k.no');
  });

  it('sessions end when idle, at their absolute limit, on sign-out and everywhere; sign-in rotates the id', async () => {
    db = await backend.fresh();
    const s = new TestServer(db.storage);
    const a = await consoleAccount(s, 'adviser', 'a@k.no');
    const first = a.cookie;
    expect((await a.signIn('a@k.no', PASSWORD)).status).toBe(200);
    expect(a.cookie).not.toBe(first);
    const stale = new ConsoleClient(s);
    stale.cookie = first;
    expect((await stale.get('/session')).status).toBe(401); // the old id ended at sign-in

    // Idle: 29 minutes is fine (and renews), 31 more minutes without a request is not.
    s.time += 29 * 60_000;
    expect((await a.get('/session')).status).toBe(200);
    s.time += 29 * 60_000;
    expect((await a.get('/session')).status).toBe(200);
    s.time += 31 * 60_000;
    expect((await a.get('/session')).status).toBe(401);

    // Absolute: 12 hours after sign-in, however active.
    await a.signIn('a@k.no', PASSWORD);
    for (let i = 0; i < 25; i++) {
      s.time += 29 * 60_000;
      await a.get('/session');
    }
    expect((await a.get('/session')).status).toBe(401);

    // Sign out everywhere ends the other browser's session too.
    const b = new ConsoleClient(s);
    await a.signIn('a@k.no', PASSWORD);
    await b.signIn('a@k.no', PASSWORD);
    expect((await b.post('/signout-everywhere')).status).toBe(200);
    expect((await a.get('/session')).status).toBe(401);
    expect((await b.get('/session')).status).toBe(401);
    await a.signIn('a@k.no', PASSWORD);
    expect((await a.post('/signout')).status).toBe(200);
    expect((await a.get('/units')).status).toBe(401);
  });

  it('changing the password ends the other sessions; a reset link replaces the password and ends all', async () => {
    db = await backend.fresh();
    const s = new TestServer(db.storage);
    const admin = await consoleAccount(s, 'administrator', 'admin@k.no');
    const other = new ConsoleClient(s);
    await other.signIn('admin@k.no', PASSWORD);
    expect((await admin.post('/me/password', { currentPassword: 'wrong one', newPassword: 'et nytt langt passord' })).status).toBe(401);
    expect((await admin.post('/me/password', { currentPassword: PASSWORD, newPassword: 'et nytt langt passord' })).status).toBe(200);
    expect((await admin.get('/session')).status).toBe(200);
    expect((await other.get('/session')).status).toBe(401);

    const leader = await consoleAccount(s, 'adviser', 'leder@k.no');
    const accounts = (await admin.get('/accounts')).body.accounts as Array<{ id: string; email: string }>;
    const id = accounts.find((x) => x.email === 'leder@k.no')!.id;
    const link = await admin.post(`/accounts/${id}/reset-link`);
    expect(link.status).toBe(201);
    expect((await leader.get('/session')).status).toBe(200); // the old password works until the link is used
    expect(
      (await new ConsoleClient(s).post('/password', { token: linkToken(link.body.url as string), password: 'helt nytt passord nå' }))
        .status,
    ).toBe(200);
    expect((await leader.get('/session')).status).toBe(401);
    expect((await new ConsoleClient(s).signIn('leder@k.no', 'helt nytt passord nå')).status).toBe(200);
  });

  it('roles: a unit leader reads only its unit; only administrators manage; the last administrator stays', async () => {
    db = await backend.fresh();
    const s = new TestServer(db.storage);
    const admin = await consoleAccount(s, 'administrator', 'admin@k.no');
    const own = await s.unit('Renovasjon');
    const other = await s.unit('Skole');
    const leader = await consoleAccount(s, 'unitLeader', 'leder@k.no', own.id);
    const adviser = await consoleAccount(s, 'adviser', 'veileder@k.no');
    expect(((await leader.get('/units')).body.units as Array<{ id: string }>).map((u) => u.id)).toEqual([own.id]);
    expect((await adviser.get('/units')).body.units).toHaveLength(2);
    for (const c of [leader, adviser]) {
      expect((await c.get('/devices')).status).toBe(403);
      expect((await c.get('/accounts')).status).toBe(403);
      expect((await c.get('/audit')).status).toBe(403);
      expect((await c.post('/units', { municipality: 'X', name: 'Y' })).status).toBe(403);
    }
    expect((await leader.get(`/overview?unit=${other.id}`)).status).toBe(403);
    expect(((await leader.get('/overview')).body.units as unknown[]).length).toBe(1);
    expect(((await adviser.get('/overview')).body.units as unknown[]).length).toBe(2);

    const me = ((await admin.get('/session')).body.account as { id: string }).id;
    expect((await admin.patch(`/accounts/${me}`, { role: 'adviser' })).body.error).toBe('conflict');
    expect((await admin.patch(`/accounts/${me}`, { role: 'unitLeader', unitId: null })).status).toBe(400);
    // Disabling an account ends its sessions at once.
    const leaderId = ((await leader.get('/session')).body.account as { id: string }).id;
    expect((await admin.patch(`/accounts/${leaderId}`, { disabled: true })).status).toBe(200);
    expect((await leader.get('/units')).status).toBe(401);
    expect((await new ConsoleClient(s).signIn('leder@k.no', PASSWORD)).status).toBe(401);
  });

  it('units and tablets without a terminal: create, rename (reaches the tablets), code sheet, enroll, report, revoke; all audited', async () => {
    db = await backend.fresh();
    const s = new TestServer(db.storage);
    const admin = await consoleAccount(s, 'administrator', 'admin@k.no');
    const created = await admin.post('/units', { municipality: 'Steinkjer', name: 'Renovasjon' });
    const unitId = (created.body.units as Array<{ id: string }>)[0]!.id;
    const sheet = await admin.post(`/units/${unitId}/codes`, { ttlHours: 48 });
    expect(sheet.status).toBe(201);
    const code = sheet.body.code as string;
    expect(sheet.body).toMatchObject({ unitName: 'Renovasjon', url: `${ORIGIN}/#enroll=${code}`, expiresAt: s.time + 48 * 3_600_000 });
    const qr = sheet.body.qr as { size: number; modules: string };
    expect(qr.modules).toHaveLength(qr.size * qr.size);
    expect((await admin.get('/units')).body.units).toMatchObject([{ openCodes: 1, tablets: 0 }]);

    const enrolled = await s.request('POST', '/api/v1/enroll', {
      body: { protocol: PROTOCOL_VERSION, code, deviceLabel: 'Pauserommet', appVersion: '1.2.3' },
    });
    expect(enrolled.status).toBe(200);
    const { token, deviceId } = (await enrolled.json()) as { token: string; deviceId: string };
    expect((await admin.get('/units')).body.units).toMatchObject([{ openCodes: 0, tablets: 1 }]);

    // The tablet reports its queue and storage on push and pull.
    const push = await s.request('POST', '/api/v1/push', {
      token,
      body: {
        protocol: PROTOCOL_VERSION,
        epoch: null,
        ackedThrough: 0,
        appVersion: '1.2.4',
        mutations: [],
        unsent: 7,
        storagePersisted: false,
      },
    });
    expect(push.status).toBe(200);
    let devices = (await admin.get('/devices')).body.devices as Array<Record<string, unknown>>;
    expect(devices[0]).toMatchObject({
      deviceId,
      label: 'Pauserommet',
      appVersion: '1.2.4',
      unsent: 7,
      storagePersisted: false,
      lastSeenAt: s.time,
    });
    s.time += 5_000;
    const pull = await s.request('GET', `/api/v1/pull?protocol=${PROTOCOL_VERSION}&cursor=0&unsent=0&persisted=true&appVersion=1.2.5`, {
      token,
    });
    expect(pull.status).toBe(200);
    devices = (await admin.get('/devices')).body.devices as Array<Record<string, unknown>>;
    expect(devices[0]).toMatchObject({ unsent: 0, storagePersisted: true, appVersion: '1.2.5', lastSeenAt: s.time });

    // Rename: the tablet's next pull brings the new name.
    s.time += 60_000;
    expect((await admin.patch(`/units/${unitId}`, { name: 'Renovasjon og gjenvinning' })).status).toBe(200);
    const pulled = (await (await s.request('GET', `/api/v1/pull?protocol=${PROTOCOL_VERSION}&cursor=0`, { token })).json()) as {
      changes: Array<{ table: string; data: { name?: string } }>;
    };
    expect(pulled.changes.find((ch) => ch.table === 'units')?.data.name).toBe('Renovasjon og gjenvinning');

    expect((await admin.post(`/devices/${deviceId}/revoke`)).status).toBe(200);
    expect((await s.request('GET', `/api/v1/pull?protocol=${PROTOCOL_VERSION}&cursor=0`, { token })).status).toBe(401);
    expect((await admin.get('/units')).body.units).toMatchObject([{ tablets: 0 }]);

    const audit = (await admin.get('/audit')).body.entries as Array<{
      action: string;
      actorLabel: string;
      detail: Record<string, unknown>;
    }>;
    expect(audit.map((e) => e.action)).toEqual([
      'device.revoke',
      'unit.rename',
      'code.create',
      'unit.create',
      'session.signIn',
      'account.passwordSet',
      'account.create',
    ]);
    expect(audit[0]!.actorLabel).toBe('admin@k.no');
    expect(audit.at(-1)!.actorLabel).toBe('cli');
    expect(JSON.stringify(audit)).not.toContain(code.replace(/-/g, '')); // no secrets in the log
    expect(JSON.stringify(audit)).not.toContain(code);
  });

  it('answers whatever a client sends with a 4xx, never a 5xx', async () => {
    db = await backend.fresh();
    const s = new TestServer(db.storage);
    const admin = await consoleAccount(s, 'administrator', 'admin@k.no');
    const bad = [
      await admin.send('POST', '/units', { raw: '{not json' }),
      await admin.send('POST', '/units', { raw: 'x'.repeat(70_000) }),
      await admin.post('/units', { municipality: '', name: 'x'.repeat(500) }),
      await admin.patch('/units/not-an-id', { name: 'x' }),
      await admin.patch('/units/01900000-0000-7000-8000-000000000000', { name: 'x' }),
      await admin.post('/units/01900000-0000-7000-8000-000000000000/codes', { ttlHours: 10 }),
      await admin.post('/units/01900000-0000-7000-8000-000000000000/codes', { ttlHours: 100_000 }),
      await admin.post('/devices/01900000-0000-7000-8000-000000000000/revoke'),
      await admin.get('/overview?from=2026-13&to=2026-01'),
      await admin.get('/overview?from=2027-01&to=2026-01'),
      await admin.get('/overview?unit=nonsense'),
      await admin.get('/audit?before=-4'),
      await admin.get('/export.csv?dataset=everything'),
      await admin.post('/accounts', { email: 'not an email', name: 'x', role: 'administrator' }),
      await admin.post('/accounts', { email: 'x@y.no', name: 'x', role: 'unitLeader' }),
      await admin.patch('/accounts/01900000-0000-7000-8000-000000000000', { name: 'x' }),
      await admin.post('/session', { email: 'x@y.no' }),
      await admin.get('/no/such/route'),
      await new ConsoleClient(s).get('/sso/start'),
    ];
    for (const r of bad) {
      expect(r.status, r.text).toBeGreaterThanOrEqual(300);
      expect(r.status, r.text).toBeLessThan(500);
    }
  });
});
