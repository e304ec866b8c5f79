import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ErrorBodySchema, submissionIdPattern } from '@jobs/contract';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from './testing/testServer.js';
import { type RawResponse, rawRequest } from './testing/rawHttp.js';
import { allTestTokens, testTokens } from './testing/testTokens.js';

/**
 * Throws thousands of malformed requests at every route. Whatever comes in: no 500, every error
 * is a JSON {code, message}, a rejected submit stores nothing, and no file outside the data dir
 * is touched. Accepted jobs run /bin/true as their shell, so generated commands never execute.
 */

const runs = 400;
let root: string;
let server: TestServer;
let http: Server;
let port: number;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/** Every file outside the data dir with its size and modification time. */
function outsideSnapshot(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (path === server.dataDir) continue;
      if (entry.isDirectory()) walk(path);
      else {
        const stat = statSync(path);
        files.set(relative(root, path), `${stat.size}:${stat.mtimeMs}`);
      }
    }
  };
  walk(root);
  return files;
}

let outsideBefore: Map<string, string>;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'jobs-hostile-'));
  mkdirSync(join(root, 'outside'));
  // Files a traversal from data/logs/<id>.log would reach.
  for (const victim of ['victim.log', 'outside/victim.log', 'jobs.sqlite', '.log']) {
    writeFileSync(join(root, victim), 'keep me\n');
  }
  server = await startTestServer({
    dataDir: join(root, 'data'),
    shell: '/bin/true',
    maxBodyBytes: 8 * 1024,
    // Accepted jobs wait for a slot that never frees: what is tested is the HTTP side, and
    // hundreds of drivers starting at once would only slow it down.
    capacity: { cpus: 8, gpus: 0, memoryBytes: 16 * 1024 ** 3, custom: {}, maxRunningJobs: 0 },
  });
  http = server.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => http.once('listening', resolve));
  port = (http.address() as AddressInfo).port;
  outsideBefore = outsideSnapshot();
});

afterAll(async () => {
  agent.destroy();
  await new Promise((resolve) => http.close(resolve));
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

function expectWellFormed(res: RawResponse, what: string): void {
  expect(res.status, `${what} -> ${res.status} ${res.text}`).toBeLessThan(500);
  if (res.status >= 400) {
    expect(ErrorBodySchema.safeParse(JSON.parse(res.text)).success, `${what}: ${res.text}`).toBe(
      true,
    );
  }
}

async function jobIds(): Promise<Set<string>> {
  const res = await rawRequest(port, agent, 'GET', '/api/jobs');
  return new Set((JSON.parse(res.text) as { submission_id: string }[]).map((j) => j.submission_id));
}

/** Ids meant to escape the logs dir or confuse a decoder, and arbitrary text. */
const hostileId = fc.oneof(
  fc.constantFrom(
    '..',
    '.',
    '../x',
    '../../outside/victim',
    '..%2f..%2foutside%2fvictim',
    '%2e%2e',
    '%2e%2e%2fvictim',
    '%2E%2E%2F%2E%2E%2Fjobs',
    '..%5cvictim',
    '%00',
    'a%00b',
    '%',
    '%zz',
    '%c0%ae%c0%ae',
    '....//',
    '.log',
    'x'.repeat(70),
    // Longer request heads (over 16 KiB) never reach the app: Node answers 431 itself.
    'y'.repeat(5_000),
  ),
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 40 }).map(encodeURIComponent),
  fc.webSegment(),
);

/** Escapes only what Node refuses to put on the request line; '%' and '/' stay raw on purpose. */
function onRequestLine(text: string): string {
  return text.replace(/[^\u0021-\u007e]/gu, (c) => encodeURIComponent(c));
}

const jsonish = fc.oneof(fc.jsonValue(), fc.anything());
/** Mostly valid bodies, so the accepting side of the property is exercised too. */
const plausibleBody = fc.record(
  {
    entrypoint: fc.string({ minLength: 1, maxLength: 50 }),
    submission_id: fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,20}$/),
    metadata: fc.dictionary(fc.string(), fc.string()),
    runtime_env: fc.record({
      env_vars: fc.dictionary(fc.stringMatching(/^[A-Z_]{1,8}$/), fc.string()),
    }),
    entrypoint_num_cpus: fc.double({ min: 0, max: 64, noNaN: true }),
  },
  { requiredKeys: ['entrypoint'] },
);
const submitBody = fc.oneof(
  plausibleBody,
  jsonish,
  fc.record(
    {
      entrypoint: fc.oneof(fc.string({ maxLength: 100 }), jsonish),
      submission_id: fc.oneof(hostileId, jsonish),
      job_id: fc.oneof(hostileId, jsonish),
      metadata: fc.oneof(fc.dictionary(fc.string(), fc.string()), jsonish),
      runtime_env: fc.oneof(
        fc.record({ env_vars: fc.oneof(fc.dictionary(fc.string(), fc.string()), jsonish) }),
        jsonish,
      ),
      entrypoint_num_cpus: fc.oneof(fc.double(), jsonish),
      entrypoint_memory: fc.oneof(fc.double(), fc.bigInt().map(String), jsonish),
      entrypoint_resources: fc.oneof(fc.dictionary(fc.string(), fc.double()), jsonish),
      surprise: jsonish,
    },
    { requiredKeys: [] },
  ),
);

function serialise(value: unknown): string {
  try {
    // undefined and functions stringify to undefined, sent as the (invalid) text "undefined".
    return `${JSON.stringify(value) as string | undefined}`;
  } catch {
    return String(value);
  }
}

// Hundreds of requests a property: ~15 s on an idle machine, close to a minute while other
// suites share the two cores, so these get more than the default ceiling.
describe('hostile input', { timeout: 180_000 }, () => {
  it('POST /api/jobs with malformed JSON bodies: no 500, nothing stored when refused', async () => {
    const seen = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(submitBody, async (body) => {
        const before = await jobIds();
        const res = await rawRequest(
          port,
          agent,
          'POST',
          '/api/jobs',
          { 'content-type': 'application/json' },
          serialise(body),
        );
        expectWellFormed(res, `POST ${serialise(body).slice(0, 200)}`);
        const after = await jobIds();
        if (res.status === 200) {
          const { submission_id } = JSON.parse(res.text) as { submission_id: string };
          expect(submissionIdPattern.test(submission_id)).toBe(true);
          expect(after.size).toBe(before.size + 1);
          seen.accepted++;
        } else {
          expect(after).toEqual(before);
          seen.refused++;
        }
      }),
      { numRuns: runs },
    );
    // Both sides of the property were exercised.
    expect(seen.accepted).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });

  it('POST /api/jobs with raw bytes and any content type: no 500, nothing stored when refused', async () => {
    const contentType = fc.oneof(
      fc.constantFrom(
        'application/json',
        'application/json; charset=utf-16',
        'application/json; charset=latin1',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/vnd.api+json',
      ),
      fc.stringMatching(/^[a-z]{1,10}\/[a-z+.-]{1,12}$/),
    );
    await fc.assert(
      fc.asyncProperty(
        contentType,
        fc.oneof(fc.string({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 })),
        async (type, body) => {
          const before = await jobIds();
          const res = await rawRequest(
            port,
            agent,
            'POST',
            '/api/jobs',
            { 'content-type': type },
            body,
          );
          expectWellFormed(res, `POST ${type}`);
          if (res.status !== 200) expect(await jobIds()).toEqual(before);
        },
      ),
      { numRuns: runs },
    );
  });

  it('id routes with traversal, encoded and overlong ids: no 500, only 200/400/404', async () => {
    const route = fc.constantFrom(['GET', ''], ['GET', '/logs'], ['POST', '/stop'], ['DELETE', '']);
    await fc.assert(
      fc.asyncProperty(route, hostileId, async ([method, suffix], id) => {
        const path = `/api/jobs/${onRequestLine(id)}${suffix}`;
        const res = await rawRequest(port, agent, method, path);
        expectWellFormed(res, `${method} ${path.slice(0, 200)}`);
        expect([200, 400, 404]).toContain(res.status);
      }),
      { numRuns: runs * 2 },
    );
  });

  it('query strings on every GET route: no 500', async () => {
    const path = fc.constantFrom(
      '/api/jobs',
      '/api/version',
      '/api/jobs/x',
      '/api/jobs/x/logs',
      '/healthz',
      '/readyz',
      '/metrics',
    );
    const query = fc.oneof(
      fc.string({ maxLength: 200 }).map(onRequestLine),
      fc.constantFrom(
        'a[b]=1',
        'a[0][1][2]=x',
        '__proto__[x]=1',
        'constructor[prototype][x]=1',
        '%',
        '&&&==',
        'a=%ff',
      ),
    );
    await fc.assert(
      fc.asyncProperty(path, query, async (p, q) => {
        const res = await rawRequest(port, agent, 'GET', `${p}?${q}`);
        expectWellFormed(res, `GET ${p}?${q}`);
      }),
      { numRuns: runs },
    );
  });

  it('leaves every file outside the data dir alone, and keeps only known files inside it', async () => {
    expect(outsideSnapshot()).toEqual(outsideBefore);
    const inside = readdirSync(server.dataDir).sort();
    for (const name of inside) {
      expect([
        'audit.log',
        'jobs.sqlite',
        'jobs.sqlite-shm',
        'jobs.sqlite-wal',
        'logs',
        'run',
        'server.pid',
      ]).toContain(name);
    }
    const ids = await jobIds();
    for (const log of readdirSync(join(server.dataDir, 'logs'))) {
      expect(ids.has(log.replace(/\.log$/, '')), log).toBe(true);
    }
  });
});

describe('hostile headers against a server with tokens', () => {
  let tokenServer: TestServer;
  let tokenHttp: Server;
  let tokenPort: number;
  beforeAll(async () => {
    tokenServer = await startTestServer({ apiTokens: allTestTokens, shell: '/bin/true' });
    tokenHttp = tokenServer.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => tokenHttp.once('listening', resolve));
    tokenPort = (tokenHttp.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => tokenHttp.close(resolve));
    await tokenServer.dispose();
  });

  it('random Authorization, Origin and other headers: no 500, never through without a valid token', async () => {
    const headerValue = fc.string({ unit: 'grapheme-ascii', maxLength: 120 }).map((v) => v.trim());
    const headers = fc.record(
      {
        authorization: fc.oneof(
          headerValue,
          headerValue.map((v) => `Bearer ${v}`),
          fc.constant(`Bearer ${testTokens.admin.token.slice(0, -1)}`),
          fc.constant(`Bearer  ${testTokens.admin.token}  `),
        ),
        origin: fc.oneof(headerValue, fc.webUrl()),
        'sec-fetch-site': fc.constantFrom('cross-site', 'same-site', 'same-origin', 'none', 'x'),
        'x-request-id': headerValue,
        accept: headerValue,
        'content-type': headerValue,
        host: fc.oneof(fc.domain(), fc.constant('127.0.0.1')),
      },
      { requiredKeys: [] },
    );
    const route = fc.constantFrom(
      ['GET', '/api/jobs'],
      ['POST', '/api/jobs'],
      ['GET', '/api/jobs/x'],
      ['POST', '/api/jobs/x/stop'],
      ['DELETE', '/api/jobs/x'],
      ['GET', '/api/version'],
      ['GET', '/metrics'],
      ['OPTIONS', '/api/jobs'],
    );
    await fc.assert(
      fc.asyncProperty(route, headers, async ([method, path], h) => {
        const res = await rawRequest(
          tokenPort,
          agent,
          method,
          path,
          h,
          method === 'POST' ? '{"entrypoint":"true"}' : undefined,
        );
        expectWellFormed(res, `${method} ${path} ${JSON.stringify(h)}`);
        const valid = /^Bearer +admin-token-0123456789abcdef *$/i.test(h.authorization ?? '');
        // Refused by authentication, or first by the browser guard for a cross-site change.
        if (!valid) expect([401, 403]).toContain(res.status);
      }),
      { numRuns: runs },
    );
    const list = await rawRequest(tokenPort, agent, 'GET', '/api/jobs', {
      authorization: `Bearer ${testTokens.read.token}`,
    });
    expect(JSON.parse(list.text)).toEqual([]);
  });
});
