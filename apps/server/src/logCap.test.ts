import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from './testing/testServer.js';

const CAP = 64 * 1024;
let server: TestServer;
afterEach(async () => {
  await server.dispose();
});

describe('the per-job log cap', () => {
  it('keeps the newest output under the cap and says where it cut', async () => {
    server = await startTestServer({ maxLogBytes: CAP });
    const id = await server.submit({ entrypoint: 'seq 1 100000; echo last line >&2' });
    await server.waitForStatus(id, 'SUCCEEDED');

    expect(statSync(join(server.dataDir, 'logs', `${id}.log`)).size).toBeLessThanOrEqual(CAP);
    const { logs } = (await server.http.get(`/api/jobs/${id}/logs`).expect(200)).body as {
      logs: string;
    };
    const [notice, firstKept, ...rest] = logs.split('\n');
    expect(notice).toMatch(
      /^\[log truncated: its oldest \d+ bytes were dropped to keep it under 65536 bytes\]$/,
    );
    // What is kept is the end of the output, in order, with nothing missing.
    expect(rest.at(-1)).toBe('');
    expect(rest.at(-2)).toBe('last line');
    const numbers = rest.slice(0, -2).map(Number);
    expect(numbers.at(-1)).toBe(100000);
    const first = numbers[0] ?? Number.NaN;
    expect(numbers).toEqual(numbers.map((_, i) => first + i));
    expect(firstKept).toBeDefined();
    // The dropped byte count is what is missing from the full output.
    const fullLength = Array.from({ length: 100000 }, (_, i) => `${i + 1}\n`).join('').length + 10;
    const dropped = Number(/oldest (\d+) bytes/.exec(notice ?? '')?.[1]);
    expect(dropped + logs.length - (notice ?? '').length - 1).toBe(fullLength);
  });

  it('leaves a log under the cap untouched', async () => {
    server = await startTestServer({ maxLogBytes: CAP });
    const id = await server.submit({ entrypoint: 'seq 1 1000' });
    await server.waitForStatus(id, 'SUCCEEDED');
    const { logs } = (await server.http.get(`/api/jobs/${id}/logs`).expect(200)).body as {
      logs: string;
    };
    expect(logs).toBe(Array.from({ length: 1000 }, (_, i) => `${i + 1}\n`).join(''));
  });
});
