import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobsClient } from './createJobsClient.js';

const seen: IncomingMessage[] = [];
const server = createServer((req, res) => {
  seen.push(req);
  res.setHeader('content-type', 'application/json');
  if (req.url?.endsWith('/stop')) {
    res.end('true');
  } else {
    res.statusCode = 404;
    res.end(JSON.stringify({ code: 'JOB_NOT_FOUND', message: 'No job.' }));
  }
});
let baseUrl = '';
beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
});

describe('createJobsClient', () => {
  it('sends configured headers to the route path under baseUrl, trailing slash or not', async () => {
    const client = createJobsClient({
      baseUrl: `${baseUrl}/`,
      headers: { authorization: 'Bearer t0k' },
    });
    const res = await client.stopJob({ params: { submission_id: 'job-1' } });
    expect(res).toMatchObject({ status: 200, body: true });
    const request = seen.at(-1);
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/api/jobs/job-1/stop');
    expect(request?.headers.authorization).toBe('Bearer t0k');
  });

  it('returns declared error statuses with the error body', async () => {
    const client = createJobsClient({ baseUrl });
    const res = await client.getJob({ params: { submission_id: 'x' } });
    expect(res).toMatchObject({ status: 404, body: { code: 'JOB_NOT_FOUND' } });
  });
});
