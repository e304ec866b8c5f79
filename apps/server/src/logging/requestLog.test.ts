import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../testing/testServer.js';

interface RequestLine {
  msg: string;
  req?: { id?: string; method?: string; url?: string };
  res?: { statusCode?: number };
}

const lines: RequestLine[] = [];
let server: TestServer;
beforeAll(async () => {
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  server = await startTestServer({ logger });
});
afterAll(async () => {
  await server.dispose();
});

function linesFor(id: string): RequestLine[] {
  return lines.filter((line) => line.msg === 'request completed' && line.req?.id === id);
}

describe('the request log', () => {
  it('writes one line per request, carrying the id sent back as x-request-id', async () => {
    // The second read of a page is answered from the kept page, before the routes.
    const asked = [
      ['/api/version', 200],
      ['/api/jobs?limit=1', 200],
      ['/api/jobs?limit=1', 200],
      ['/api/jobs/no-such-job', 404],
      ['/api/jobs?limit=0', 400],
    ] as const;
    const ids: string[] = [];
    for (const [path, status] of asked) {
      const res = await server.http.get(path).expect(status);
      ids.push(res.headers['x-request-id'] as string);
    }
    expect(new Set(ids).size).toBe(asked.length);
    for (const [i, [path, status]] of asked.entries()) {
      expect(ids[i]).toMatch(/^[0-9a-f-]{36}$/);
      const logged = linesFor(ids[i] ?? '');
      expect(logged).toHaveLength(1);
      expect(logged[0]?.req?.url).toBe(path);
      expect(logged[0]?.res?.statusCode).toBe(status);
    }
  });
});
