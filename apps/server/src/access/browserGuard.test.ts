import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorBodySchema } from '@jobs/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../testing/testServer.js';

const allowed = 'https://dashboard.example.org';
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ allowedOrigins: [allowed], shell: '/bin/true' });
});
afterAll(async () => {
  await server.dispose();
});

async function jobIds(): Promise<string[]> {
  const res = await server.http.get('/api/jobs').expect(200);
  return (res.body as { submission_id: string }[]).map((job) => job.submission_id);
}

describe('browser guard', () => {
  it('refuses a submit from a cross-site page and stores nothing', async () => {
    const res = await server.http
      .post('/api/jobs')
      .set('origin', 'https://evil.example.com')
      .send({ entrypoint: 'true', submission_id: 'from-evil' });
    expect(res.status).toBe(403);
    const body = ErrorBodySchema.parse(res.body);
    expect(body.code).toBe('FORBIDDEN');
    expect(body.message).toContain("origin 'https://evil.example.com'");
    expect(await jobIds()).not.toContain('from-evil');
    expect(readdirSync(join(server.dataDir, 'logs'))).not.toContain('from-evil.log');
  });

  it('refuses a delete carrying only Sec-Fetch-Site: cross-site, keeping the job', async () => {
    const id = await server.submit({ entrypoint: 'true', submission_id: 'kept' });
    await server.waitForStatus(id, 'SUCCEEDED');
    const res = await server.http.delete(`/api/jobs/${id}`).set('sec-fetch-site', 'cross-site');
    expect(res.status).toBe(403);
    expect(await jobIds()).toContain(id);
  });

  it('refuses a stop with Origin: null (sandboxed frames, file: pages)', async () => {
    const res = await server.http.post('/api/jobs/kept/stop').set('origin', 'null');
    expect(res.status).toBe(403);
  });

  it('lets the same origin and a configured origin change state', async () => {
    const host = 'localhost:9080';
    await server.http
      .post('/api/jobs')
      .set({ host, origin: `http://${host}`, 'sec-fetch-site': 'same-origin' })
      .send({ entrypoint: 'true', submission_id: 'same-origin' })
      .expect(200);
    await server.http
      .post('/api/jobs')
      .set({ host, origin: `https://${host}` })
      .send({ entrypoint: 'true', submission_id: 'behind-tls-proxy' })
      .expect(200);
    await server.http
      .post('/api/jobs')
      .set({ host, origin: 'http://localhost:9081' })
      .send({ entrypoint: 'true', submission_id: 'other-port' })
      .expect(403);
    await server.http
      .post('/api/jobs')
      .set({ origin: allowed, 'sec-fetch-site': 'cross-site' })
      .send({ entrypoint: 'true', submission_id: 'allowed-origin' })
      .expect(200);
    expect(await jobIds()).toEqual(expect.arrayContaining(['same-origin', 'allowed-origin']));
  });

  it('refuses a page on a rebound DNS name when the server has no tokens', async () => {
    const res = await server.http.get('/api/jobs').set('host', 'attacker.example.com:9080');
    expect(res.status).toBe(403);
    expect(ErrorBodySchema.parse(res.body).code).toBe('FORBIDDEN');
  });

  it.each([
    ['x-forwarded-for', '203.0.113.9'],
    ['forwarded', 'for=203.0.113.9;proto=https'],
    ['x-real-ip', '203.0.113.9'],
    ['x-forwarded-host', 'jobs.example.com'],
  ])(
    'refuses a request relayed by a proxy (%s) when the server has no tokens',
    async (name, value) => {
      const res = await server.http
        .post('/api/jobs')
        .set(name, value)
        .send({ entrypoint: 'true', submission_id: `proxied-${name}` });
      expect(res.status).toBe(403);
      expect(ErrorBodySchema.parse(res.body).message).toMatch(/proxy needs a token/);
      expect(await jobIds()).not.toContain(`proxied-${name}`);
    },
  );
});

describe('CORS', () => {
  it('is off for origins not configured', async () => {
    const res = await server.http.get('/api/jobs').set('origin', 'https://other.example.com');
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers a preflight and reads for a configured origin', async () => {
    const preflight = await server.http.options('/api/jobs/x').set({
      origin: allowed,
      'access-control-request-method': 'DELETE',
      'access-control-request-headers': 'authorization',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(allowed);
    expect(String(preflight.headers['access-control-allow-methods']).split(/,\s*/)).toEqual([
      'GET',
      'POST',
      'PUT',
      'DELETE',
    ]);
    expect(preflight.headers['access-control-allow-headers']).toContain('authorization');
    const read = await server.http.get('/api/jobs').set('origin', allowed).expect(200);
    expect(read.headers['access-control-allow-origin']).toBe(allowed);
    expect(read.headers.vary).toContain('Origin');
    // What the client's helpers read and send: pages, log ranges, resumed streams.
    const exposed = String(read.headers['access-control-expose-headers']).split(/,\s*/);
    expect(exposed).toEqual(expect.arrayContaining(['link', 'etag', 'x-log-size', 'x-jobs-store']));
    const allowedHeaders = String(preflight.headers['access-control-allow-headers']).split(/,\s*/);
    expect(allowedHeaders).toEqual(
      expect.arrayContaining(['last-event-id', 'if-none-match', 'x-jobs-store']),
    );
  });
});
