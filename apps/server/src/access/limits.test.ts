import { ErrorBodySchema } from '@jobs/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../testing/testServer.js';
import { allTestTokens, bearer, testTokens } from '../testing/testTokens.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    apiTokens: allTestTokens,
    rateLimitPerMinute: 5,
    shell: '/bin/true',
    limits: { maxMetadataBytes: 100, maxEntrypointChars: 50, maxRuntimeEnvBytes: 200 },
  });
});
afterAll(async () => {
  await server.dispose();
});

describe('submission limits', () => {
  it('refuses an entrypoint over the limit, naming it, and stores nothing', async () => {
    const res = await server.http
      .post('/api/jobs')
      .set(bearer(testTokens.admin.token))
      .send({ entrypoint: 'x'.repeat(51), submission_id: 'long' });
    expect(res.status).toBe(400);
    expect(ErrorBodySchema.parse(res.body).message).toMatch(
      /body\.entrypoint is 51 characters long, more than the limit of 50/,
    );
    await server.http.get('/api/jobs/long').set(bearer(testTokens.admin.token)).expect(404);
  });

  it('refuses metadata over the limit, measured as UTF-8 JSON', async () => {
    const res = await server.http
      .post('/api/jobs')
      .set(bearer(testTokens.submit.token))
      .send({ entrypoint: 'true', metadata: { note: 'é'.repeat(45) } });
    expect(res.status).toBe(400);
    expect(ErrorBodySchema.parse(res.body).message).toMatch(/body\.metadata is 101 bytes/);
  });

  it('refuses a runtime_env over the limit, naming it, and stores nothing', async () => {
    const headers = bearer(testTokens.submit.token);
    const res = await server.http
      .post('/api/jobs')
      .set(headers)
      .send({
        entrypoint: 'true',
        submission_id: 'big-env',
        runtime_env: { env_vars: { BLOB: 'x'.repeat(200) } },
      });
    expect(res.status).toBe(400);
    const { code, message } = ErrorBodySchema.parse(res.body);
    expect(code).toBe('INVALID_REQUEST');
    expect(message).toMatch(/body\.runtime_env is 2\d\d bytes as JSON, more than the limit of 200/);
    await server.http.get('/api/jobs/big-env').set(headers).expect(404);
    await server.http
      .post('/api/jobs')
      .set(headers)
      .send({ entrypoint: 'true', runtime_env: { env_vars: { SMALL: 'x'.repeat(100) } } })
      .expect(200);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After once a token spends its budget, other tokens unaffected', async () => {
    const headers = bearer(testTokens.read.token);
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 7; i++) {
      last = await server.http.get('/api/version').set(headers);
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect(ErrorBodySchema.parse(last?.body).code).toBe('RATE_LIMITED');
    expect(Number(last?.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(last?.headers['retry-after'])).toBeLessThanOrEqual(12);
    await server.http.get('/healthz').expect(200);
  });
});
