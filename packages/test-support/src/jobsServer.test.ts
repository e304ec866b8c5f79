import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type JobsServer, startJobsServer } from './jobsServer.js';
import { waitFor } from './waitFor.js';

const servers: JobsServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
});

async function start(...options: Parameters<typeof startJobsServer>): Promise<JobsServer> {
  const server = await startJobsServer(...options);
  servers.push(server);
  return server;
}

async function submit(server: JobsServer, id: string): Promise<void> {
  const res = await fetch(`${server.baseUrl}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ entrypoint: 'true', submission_id: id }),
  });
  expect(res.status).toBe(200);
}

describe('startJobsServer', () => {
  it('says what to do when the program is missing', async () => {
    await expect(startJobsServer({ program: '/nowhere/main.js' })).rejects.toThrow(
      'The Jobs server program /nowhere/main.js is missing: build the server first',
    );
  });

  it('runs the built server over a fresh data dir, and removes it when stopped', async () => {
    const server = await start({ env: { JOBS_NODE_ID: 'test-support-node' } });
    expect(server.baseUrl).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.output()).toContain('jobs server listening');
    await submit(server, 'first');
    // Ended before the server stops, so nothing of it is still writing to the data dir.
    const job = await waitFor('the job to succeed', async () => {
      const body = (await (await fetch(`${server.baseUrl}/api/jobs/first`)).json()) as {
        status: string;
      };
      return body.status === 'SUCCEEDED' ? body : undefined;
    });
    expect(job).toMatchObject({ driver_node_id: 'test-support-node' });
    const dataDir = server.dataDir ?? '';
    expect(existsSync(dataDir)).toBe(true);
    await server.stop();
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(dataDir)).toBe(false);
  });

  it('carries on over a kept data dir, on the same port', async () => {
    const first = await start({ stopGraceSeconds: 1 });
    await submit(first, 'kept');
    await first.stop({ keepDataDir: true });
    expect(existsSync(join(first.dataDir ?? '', 'jobs.sqlite'))).toBe(true);

    const second = await start({ dataDir: first.dataDir, port: first.port });
    expect(second.baseUrl).toBe(first.baseUrl);
    expect((await fetch(`${second.baseUrl}/api/jobs/kept`)).status).toBe(200);
  });

  it('fails with the output when the server exits before listening', async () => {
    const dataDir = (await start()).dataDir ?? '';
    // A second server on the same data dir refuses to start.
    await expect(start({ dataDir })).rejects.toThrow(/exited \(2\) before listening: .*in use/s);
    expect(existsSync(dataDir)).toBe(true);
  });
});
