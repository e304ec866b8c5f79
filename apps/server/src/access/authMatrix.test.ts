import { ErrorBodySchema } from '@jobs/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../testing/testServer.js';
import { allTestTokens, bearer, testTokens } from '../testing/testTokens.js';

let server: TestServer;
beforeAll(async () => {
  // /bin/true as the shell: accepted jobs end at once and run nothing.
  server = await startTestServer({ apiTokens: allTestTokens, shell: '/bin/true' });
});
afterAll(async () => {
  await server.dispose();
});

type Caller = 'none' | 'wrong' | 'read' | 'submit' | 'admin';
const callers: Caller[] = ['none', 'wrong', 'read', 'submit', 'admin'];

function headersOf(caller: Caller): Record<string, string> {
  switch (caller) {
    case 'none':
      return {};
    case 'wrong':
      return bearer('not-a-configured-token-00000000');
    default:
      return bearer(testTokens[caller].token);
  }
}

interface Route {
  name: string;
  method: 'get' | 'post' | 'delete';
  path: string;
  body?: object;
  /** Callers allowed through; others get 403 (or 401 without a valid token). */
  allowed: Caller[];
  /** What an allowed caller gets from the handler. */
  answer: number;
}

const missing = '/api/jobs/no-such-job';
const routes: Route[] = [
  {
    name: 'listJobs',
    method: 'get',
    path: '/api/jobs',
    allowed: ['read', 'submit', 'admin'],
    answer: 200,
  },
  {
    name: 'getJob',
    method: 'get',
    path: missing,
    allowed: ['read', 'submit', 'admin'],
    answer: 404,
  },
  {
    name: 'getJobTiming',
    method: 'get',
    path: `${missing}/timing`,
    allowed: ['read', 'submit', 'admin'],
    answer: 404,
  },
  {
    name: 'getJobLogs',
    method: 'get',
    path: `${missing}/logs`,
    allowed: ['read', 'submit', 'admin'],
    answer: 404,
  },
  {
    name: 'getVersion',
    method: 'get',
    path: '/api/version',
    allowed: ['read', 'submit', 'admin'],
    answer: 200,
  },
  {
    name: 'submitJob',
    method: 'post',
    path: '/api/jobs',
    body: { entrypoint: 'true' },
    allowed: ['submit', 'admin'],
    answer: 200,
  },
  {
    name: 'stopJob',
    method: 'post',
    path: `${missing}/stop`,
    allowed: ['submit', 'admin'],
    answer: 404,
  },
  { name: 'deleteJob', method: 'delete', path: missing, allowed: ['admin'], answer: 404 },
  {
    name: 'getMetrics',
    method: 'get',
    path: '/metrics',
    allowed: ['read', 'submit', 'admin'],
    answer: 200,
  },
  { name: 'getHealth', method: 'get', path: '/healthz', allowed: callers, answer: 200 },
  { name: 'getReadiness', method: 'get', path: '/readyz', allowed: callers, answer: 200 },
  {
    name: 'unknown route',
    method: 'get',
    path: '/api/nothing',
    allowed: ['read', 'submit', 'admin'],
    answer: 404,
  },
];

describe.each(routes)('$name', (route) => {
  it.each(callers)('with %s token', async (caller) => {
    let request = server.http[route.method](route.path).set(headersOf(caller));
    if (route.body) request = request.send(route.body);
    const res = await request;
    const expected = route.allowed.includes(caller)
      ? route.answer
      : caller === 'none' || caller === 'wrong'
        ? 401
        : 403;
    expect(res.status, res.text).toBe(expected);
    if (expected === 401) {
      expect(ErrorBodySchema.parse(res.body).code).toBe('UNAUTHENTICATED');
    }
    if (expected === 403) {
      const body = ErrorBodySchema.parse(res.body);
      expect(body.code).toBe('FORBIDDEN');
      expect(body.message).toContain(`has the role '${caller}'`);
    }
  });
});

describe('tokens', () => {
  it('refuses a malformed Authorization header and a token sent another way', async () => {
    for (const authorization of [
      testTokens.admin.token,
      `Basic ${testTokens.admin.token}`,
      `Bearer ${testTokens.admin.token} extra`,
      'Bearer',
      `Bearer ${testTokens.admin.token.slice(0, -1)}`,
      `Bearer ${testTokens.admin.token}x`,
    ]) {
      const res = await server.http.get('/api/jobs').set({ authorization });
      expect(res.status, authorization).toBe(401);
    }
  });

  it('accepts the scheme in any case, as RFC 7235 says', async () => {
    await server.http
      .get('/api/jobs')
      .set({ authorization: `bearer ${testTokens.read.token}` })
      .expect(200);
  });

  it('stores nothing for a submit refused by authentication or role', async () => {
    // Ids only: jobs other tests started may change status meanwhile.
    const ids = async () =>
      (
        (await server.http.get('/api/jobs').set(bearer(testTokens.read.token))).body as {
          submission_id: string;
        }[]
      ).map((job) => job.submission_id);
    const before = await ids();
    for (const headers of [{}, bearer(testTokens.read.token)]) {
      await server.http
        .post('/api/jobs')
        .set(headers)
        .send({ entrypoint: 'true', submission_id: 'refused' });
    }
    expect(await ids()).toEqual(before);
    await server.http.get('/api/jobs/refused').set(bearer(testTokens.read.token)).expect(404);
  });

  it('lets an admin delete a finished job that a submitter may not delete', async () => {
    const id = 'to-delete';
    await server.http
      .post('/api/jobs')
      .set(bearer(testTokens.submit.token))
      .send({ entrypoint: 'true', submission_id: id })
      .expect(200);
    await server.waitForStatus(id, 'SUCCEEDED');
    await server.http.delete(`/api/jobs/${id}`).set(bearer(testTokens.submit.token)).expect(403);
    const res = await server.http.delete(`/api/jobs/${id}`).set(bearer(testTokens.admin.token));
    expect(res.status).toBe(200);
    expect(res.body).toBe(true);
  });
});
