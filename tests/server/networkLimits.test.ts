/**
 * Limits before work, against the real server process on a real socket: an
 * oversized or unauthenticated body is answered 413/401 while the client is
 * still sending, /health stays answered, and the process stays small. The
 * bounds here are generous on purpose (a shared 2-core machine); the precise
 * figures are measured by `npm run bench` (bench/networkBench.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type EnrollResponse } from '../../src/domain';
import { createEnrollmentCode, createUnit } from '../../src/server/admin';
import { serverBackends, type Backend, type TestDb } from './helpers';
import { peakRssBytes, prebuiltServer, sendLargeBody, startServerProcess, type ServerProcess } from './serverProcess';

const MB = 1024 * 1024;
/** The ceiling for the server while under attack. */
const MAX_RSS = 300 * MB;

let db: TestDb;
let server: ServerProcess;
let token: string;
let otherToken: string;

async function startOn(backend: Backend) {
  await backend.setup();
  db = await backend.fresh();
  const unit = await createUnit(db.storage, { municipality: 'Testvik', name: 'Avdeling' });
  const codes = [
    (await createEnrollmentCode(db.storage, { unitId: unit.id })).code,
    (await createEnrollmentCode(db.storage, { unitId: unit.id })).code,
  ];
  await db.close(); // the server process opens the database itself
  // The bundle npm start runs: the memory bounds below are the production server's.
  server = await startServerProcess(db.env, { script: await prebuiltServer() });
  const enroll = async (code: string) => {
    const res = await fetch(`${server.url}/api/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ protocol: PROTOCOL_VERSION, code, deviceLabel: 'limits test' }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as EnrollResponse).token;
  };
  token = await enroll(codes[0]!);
  otherToken = await enroll(codes[1]!);
}

/** Time one /health request (it must be answered while an attack is running). */
async function healthMs(): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${server.url}/api/v1/health`, { signal: AbortSignal.timeout(10_000) });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  return performance.now() - t0;
}

describe.each(serverBackends())('limits before work on %s (real server process)', (_kind, backend) => {
  beforeAll(() => startOn(backend), 60_000);
  afterAll(async () => {
    await server?.stop();
    await backend.teardown();
  });

  it('a 256 MB enrollment body is refused with 413 while it is still being sent; health stays answered', async () => {
    const attack = sendLargeBody(`${server.url}/api/v1/enroll`, { totalBytes: 256 * MB, declareLength: false });
    await new Promise((r) => setTimeout(r, 50));
    const health = await healthMs();
    const answer = await attack;
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: 'tooLarge' });
    // Answered long before the body was through: the limit applies while reading.
    expect(answer.sentBytes).toBeLessThan(128 * MB);
    expect(answer.ms).toBeLessThan(5000);
    expect(health).toBeLessThan(3000);
    expect(peakRssBytes(server.pid)).toBeLessThan(MAX_RSS);
  });

  it('a declared 256 MB body is refused from its Content-Length alone', async () => {
    const answer = await sendLargeBody(`${server.url}/api/v1/enroll`, { totalBytes: 256 * MB, declareLength: true });
    expect(answer.status).toBe(413);
    expect(answer.sentBytes).toBeLessThan(128 * MB);
  });

  it('50 concurrent unauthenticated 19 MB pushes are answered 401 (then 429: too many refused tokens) before their bodies are read', async () => {
    const attacks = Array.from({ length: 50 }, () =>
      sendLargeBody(`${server.url}/api/v1/push`, { totalBytes: 19 * MB, declareLength: true, headers: { authorization: 'Bearer nope' } }),
    );
    await new Promise((r) => setTimeout(r, 50));
    const health = await healthMs();
    const answers = await Promise.all(attacks);
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(20);
    expect(Math.max(...answers.map((a) => a.sentBytes))).toBeLessThan(19 * MB);
    expect(health).toBeLessThan(3000);
    expect(peakRssBytes(server.pid)).toBeLessThan(MAX_RSS);
  });

  it('50 concurrent 19 MB pushes from one enrolled tablet: a few are read, the rest wait their turn with 429; the process stays small', async () => {
    // Valid JSON of 19 MB: a push with no mutations and a long unknown field.
    const pad = 19 * MB - 200;
    const body = Buffer.from(
      JSON.stringify({ protocol: PROTOCOL_VERSION, epoch: null, ackedThrough: 0, mutations: [], pad: 'x'.repeat(pad) }),
    );
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        sendLargeBody(`${server.url}/api/v1/push`, {
          totalBytes: body.length,
          declareLength: true,
          headers: { authorization: `Bearer ${token}` },
          fill: body,
        }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    for (const refused of answers.filter((a) => a.status === 429)) expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await healthMs()).toBeLessThan(3000);
    expect(peakRssBytes(server.pid)).toBeLessThan(MAX_RSS);
  });

  it('large bodies from different tablets are held one at a time server-wide; small pushes are not held back', async () => {
    const pad = 19 * MB - 200;
    const big = Buffer.from(
      JSON.stringify({ protocol: PROTOCOL_VERSION, epoch: null, ackedThrough: 0, mutations: [], pad: 'x'.repeat(pad) }),
    );
    const send = (bearer: string) =>
      sendLargeBody(`${server.url}/api/v1/push`, {
        totalBytes: big.length,
        declareLength: true,
        headers: { authorization: `Bearer ${bearer}` },
        fill: big,
      });
    const [a, b] = await Promise.all([send(token), send(otherToken)]);
    expect([a.status, b.status].sort()).toEqual([200, 429]);
    const small = await fetch(`${server.url}/api/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${otherToken}` },
      body: JSON.stringify({ protocol: PROTOCOL_VERSION, epoch: null, ackedThrough: 0, mutations: [] }),
    });
    expect(small.status).toBe(200);
    expect(peakRssBytes(server.pid)).toBeLessThan(MAX_RSS);
  });

  it('deeply nested JSON is a 400, not a crash or a 500', async () => {
    const depth = 100_000;
    const nested = '['.repeat(depth) + ']'.repeat(depth);
    const raw = `{"protocol":${PROTOCOL_VERSION},"epoch":null,"ackedThrough":0,"mutations":[{"seq":1,"mutationId":"01900000-0000-7000-8000-000000000001","table":"ideas","op":"create","recordId":"01900000-0000-7000-8000-000000000002","hlc":"x","fields":{"a":${nested}}}]}`;
    const res = await fetch(`${server.url}/api/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: raw,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/nest/i);
    expect(await healthMs()).toBeLessThan(3000);
  });
});
