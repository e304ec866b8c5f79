import { once } from 'node:events';
import { Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorBodySchema } from '@jobs/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RawResponse, rawRequest } from '../testing/rawHttp.js';
import { type TestServer, startTestServer } from '../testing/testServer.js';
import { allTestTokens, bearer, testTokens } from '../testing/testTokens.js';
import { AuthFailureLimiter, addressKey } from './authFailureLimiter.js';

const LIMIT = 5;

let server: TestServer;
let http: Server;
let port: number;
const agents: Agent[] = [];

beforeAll(async () => {
  server = await startTestServer({
    apiTokens: allTestTokens,
    authFailuresPerMinute: LIMIT,
    shell: '/bin/true',
  });
  http = server.app.listen(0, '127.0.0.1');
  await once(http, 'listening');
  port = (http.address() as AddressInfo).port;
});
afterAll(async () => {
  for (const agent of agents) agent.destroy();
  http.close();
  await server.dispose();
});

/** A client connecting from `address`: every 127.x.y.z is this machine on Linux. */
function from(address: string) {
  const agent = new Agent({ localAddress: address });
  agents.push(agent);
  return (headers: Record<string, string> = {}): Promise<RawResponse> =>
    rawRequest(port, agent, 'GET', '/api/version', headers);
}

describe('failed authentications per address', () => {
  it('refuses an address with 429 after too many failures, even with a valid token', async () => {
    const attacker = from('127.0.0.2');
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) {
      statuses.push((await attacker(bearer(`guess-${i}`))).status);
    }
    expect(statuses).toEqual(Array<number>(LIMIT).fill(401));

    for (const headers of [bearer('one-more-guess'), bearer(testTokens.read.token), {}]) {
      const res = await attacker(headers);
      expect(res.status).toBe(429);
      const body = ErrorBodySchema.parse(JSON.parse(res.text));
      expect(body.code).toBe('RATE_LIMITED');
      expect(body.message).toMatch(/failed authentications from this address/);
      const retryAfter = Number(res.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }
    // Probes need no token and are never refused.
    expect((await rawRequest(port, agents[0] as Agent, 'GET', '/healthz')).status).toBe(200);
    // Another address is not affected.
    expect((await from('127.0.0.3')(bearer(testTokens.read.token))).status).toBe(200);
  });

  it('does not count successes', async () => {
    const client = from('127.0.0.4');
    for (let i = 0; i < 3 * LIMIT; i++) {
      expect((await client(bearer(testTokens.read.token))).status).toBe(200);
    }
    for (let i = 0; i < LIMIT - 1; i++) {
      expect((await client(bearer('typo'))).status).toBe(401);
    }
    expect((await client(bearer(testTokens.read.token))).status).toBe(200);
  });
});

describe('AuthFailureLimiter', () => {
  it('lets an address try again once its window has passed', () => {
    let now = 0;
    const limiter = new AuthFailureLimiter(2, 60_000, 100, () => now);
    limiter.recordFailure('10.0.0.1');
    limiter.recordFailure('10.0.0.1');
    now = 15_500;
    expect(limiter.blockedFor('10.0.0.1')).toBe(45);
    now = 60_000;
    expect(limiter.blockedFor('10.0.0.1')).toBeUndefined();
    limiter.recordFailure('10.0.0.1');
    expect(limiter.blockedFor('10.0.0.1')).toBeUndefined();
  });

  it('holds at most its number of addresses, forgetting the least recent failure first', () => {
    let now = 0;
    const limiter = new AuthFailureLimiter(1, 60_000, 100, () => now);
    for (let i = 0; i < 10_000; i++) {
      now = i;
      limiter.recordFailure(`10.0.${Math.floor(i / 256)}.${i % 256}`);
    }
    expect(limiter.size).toBe(100);
    expect(limiter.blockedFor('10.0.39.15')).toBeGreaterThan(0);
    expect(limiter.blockedFor('10.0.0.0')).toBeUndefined();
  });

  it('drops ended windows as new failures come', () => {
    let now = 0;
    const limiter = new AuthFailureLimiter(1, 60_000, 100, () => now);
    for (let i = 0; i < 50; i++) limiter.recordFailure(`10.0.0.${i}`);
    now = 61_000;
    limiter.recordFailure('10.0.1.1');
    expect(limiter.size).toBe(1);
  });

  it('counts an IPv6 /64 as one address and IPv4 within IPv6 as IPv4', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('192.0.2.7')).toBe('192.0.2.7');
  });
});
