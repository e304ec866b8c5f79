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
    const answers = [
      await server.http.get('/api/version').expect(200),
      // The second read of a page is answered from the kept page, before the routes.
      await server.http.get('/api/jobs?limit=1').expect(200),
      await server.http.get('/api/jobs?limit=1').expect(200),
      await server.http.get('/api/jobs/no-such-job').expect(404),
      await server.http.get('/api/jobs?limit=0').expect(400),
    ];
    const ids = answers.map((res) => res.headers['x-request-id'] as string);
    expect(new Set(ids).size).toBe(answers.length);
    for (const [i, res] of answers.entries()) {
      expect(ids[i]).toMatch(/^[0-9a-f-]{36}$/);
      const logged = linesFor(ids[i] ?? '');
      expect(logged).toHaveLength(1);
      expect(logged[0]?.req?.url).toBe(res.req.path);
      expect(logged[0]?.res?.statusCode).toBe(res.status);
    }
  });
});
