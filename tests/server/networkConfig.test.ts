/**
 * Putting the server on a municipal network: its settings from the
 * environment, HTTPS with TLS_CERT/TLS_KEY, and a plain warning wherever it
 * would hand tablets a non-localhost http:// address (they need HTTPS).
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insecureUrlWarning, serverConfigFromEnv } from '../../src/server/config';
import { ROOT, startServerProcess } from './serverProcess';

describe('settings from the environment', () => {
  it('defaults: port 8080 on every interface, plain HTTP, no proxy, same origin only', () => {
    expect(serverConfigFromEnv({})).toEqual({
      port: 8080,
      host: '0.0.0.0',
      publicUrl: null,
      tls: null,
      trustProxy: false,
      corsOrigins: [],
      photoQuotaBytesPerUnit: 2 * 1024 ** 3,
      retention: { days: 90, checkEveryMs: 3_600_000 },
    });
  });

  it('reads every setting', () => {
    expect(
      serverConfigFromEnv({
        PORT: '8443',
        HOST: '127.0.0.1',
        PUBLIC_URL: 'https://nedenfra.kommune.no/',
        TLS_CERT: '/etc/nedenfra/cert.pem',
        TLS_KEY: '/etc/nedenfra/key.pem',
        TRUST_PROXY: '1',
        CORS_ORIGINS: 'https://app.kommune.no, https://intranett.kommune.no',
        PHOTO_QUOTA_MB: '500',
        RETENTION_DAYS: '30',
        RETENTION_CHECK_MINUTES: '15',
      }),
    ).toEqual({
      port: 8443,
      host: '127.0.0.1',
      publicUrl: 'https://nedenfra.kommune.no',
      tls: { certFile: '/etc/nedenfra/cert.pem', keyFile: '/etc/nedenfra/key.pem' },
      trustProxy: true,
      corsOrigins: ['https://app.kommune.no', 'https://intranett.kommune.no'],
      photoQuotaBytesPerUnit: 500 * 1024 ** 2,
      retention: { days: 30, checkEveryMs: 900_000 },
    });
    expect(serverConfigFromEnv({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
  });

  it('refuses settings that cannot work, saying which', () => {
    expect(() => serverConfigFromEnv({ TLS_CERT: '/cert.pem' })).toThrow(/TLS_CERT and TLS_KEY/);
    expect(() => serverConfigFromEnv({ PUBLIC_URL: 'nedenfra.kommune.no' })).toThrow(/PUBLIC_URL/);
    expect(() => serverConfigFromEnv({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => serverConfigFromEnv({ CORS_ORIGINS: 'https://app.kommune.no/path' })).toThrow(/CORS_ORIGINS/);
    expect(() => serverConfigFromEnv({ TRUST_PROXY: 'maybe' })).toThrow(/TRUST_PROXY/);
    expect(() => serverConfigFromEnv({ RETENTION_DAYS: '0' })).toThrow(/RETENTION_DAYS/);
  });

  it('warns about http:// addresses tablets would use, not about localhost or https', () => {
    expect(insecureUrlWarning('http://10.0.0.5:8080')).toMatch(/HTTPS/);
    expect(insecureUrlWarning('http://nedenfra.kommune.no')).toMatch(/TLS_CERT/);
    for (const ok of ['https://10.0.0.5:8443', 'http://localhost:8080', 'http://127.0.0.1:8080', 'http://[::1]:8080'])
      expect(insecureUrlWarning(ok)).toBeNull();
  });
});

describe('the server and the admin CLI on a network', () => {
  let dir: string;
  let cert: Buffer;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nedenfra-tls-'));
    execFileSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=nedenfra.test',
      '-addext',
      'subjectAltName=DNS:nedenfra.test',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ]);
    cert = readFileSync(join(dir, 'cert.pem'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** GET over HTTPS, trusting only our throwaway certificate, for the name it was made for. */
  const httpsGet = (url: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(url, { ca: cert, servername: 'nedenfra.test', timeout: 2000 }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });

  it('serves HTTPS directly with TLS_CERT and TLS_KEY, and prints the https:// address', async () => {
    const server = await startServerProcess(
      { NEDENFRA_DB: join(dir, 'tls.sqlite'), TLS_CERT: join(dir, 'cert.pem'), TLS_KEY: join(dir, 'key.pem'), DATABASE_URL: '' },
      { scheme: 'https', ready: async (url) => (await httpsGet(`${url}/api/v1/health`)).status === 200 },
    );
    try {
      const health = await httpsGet(`${server.url}/api/v1/health`);
      expect(JSON.parse(health.body)).toMatchObject({ status: 'ok', storage: 'sqlite' });
      const output = await server.printed(/Enroll a tablet/);
      expect(output).toMatch(/Nedenfra sync server on https:\/\//);
      expect(output).not.toMatch(/need HTTPS/);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('says plainly that tablets need HTTPS when it hands out a network http:// address', async () => {
    const server = await startServerProcess({
      NEDENFRA_DB: join(dir, 'plain.sqlite'),
      PUBLIC_URL: 'http://10.20.30.40:8080',
      DATABASE_URL: '',
    });
    try {
      const output = await server.printed(/Enroll a tablet/);
      expect(output).toContain('http://10.20.30.40:8080');
      expect(output).toMatch(/Tablets need HTTPS/);
      expect(output).toMatch(/TLS_CERT/);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('admin code create links to PUBLIC_URL by default, and warns when it is plain http on the network', async () => {
    const run = promisify(execFile);
    const cli = (env: Record<string, string>, ...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'src/server/admin.ts', ...args], {
        cwd: ROOT,
        env: { ...process.env, NEDENFRA_DB: join(dir, 'admin.sqlite'), DATABASE_URL: '', ...env },
      });
    const unitId = (await cli({}, 'unit', 'create', '--municipality', 'Steinkjer', '--name', 'Renovasjon')).stdout.trim();
    const secure = await cli({ PUBLIC_URL: 'https://nedenfra.kommune.no' }, 'code', 'create', '--unit', unitId);
    expect(secure.stdout).toMatch(/URL: https:\/\/nedenfra\.kommune\.no\/#enroll=/);
    expect(secure.stdout + secure.stderr).not.toMatch(/need HTTPS/);
    const plain = await cli({ PUBLIC_URL: 'http://10.20.30.40:8080' }, 'code', 'create', '--unit', unitId);
    expect(plain.stdout).toMatch(/URL: http:\/\/10\.20\.30\.40:8080\/#enroll=/);
    expect(plain.stdout + plain.stderr).toMatch(/Tablets need HTTPS/);
  }, 60_000);
});
