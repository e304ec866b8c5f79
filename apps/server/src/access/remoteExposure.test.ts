import { rmSync } from 'node:fs';
import { createJobsClient } from '@jobs/client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ServerProcess,
  runServerToExit,
  startServerProcess,
} from '../testing/serverProcess.js';
import { makeDataDir } from '../testing/testServer.js';
import { waitFor } from '../testing/waitFor.js';

const token = 'process-admin-token-0123456789';
const dirs: string[] = [];
const servers: ServerProcess[] = [];

function dataDir(): string {
  const dir = makeDataDir();
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    if (server.child.exitCode === null) server.child.kill('SIGTERM');
    await server.exited;
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('listening beyond loopback (real server process)', () => {
  it('refuses to start without tokens, exit code 2, saying why and what to do', async () => {
    const { code, output } = await runServerToExit([
      '--host',
      '0.0.0.0',
      '--port',
      '0',
      '--data-dir',
      dataDir(),
    ]);
    expect(code).toBe(2);
    expect(output).toContain('Refusing to listen on 0.0.0.0 without API tokens');
    expect(output).toContain('--tokens-file');
    expect(output).toContain('--insecure-allow-unauthenticated-remote');
  });

  it('starts with the insecure flag, warning loudly', async () => {
    const server = await startServerProcess([
      '--host',
      '0.0.0.0',
      '--insecure-allow-unauthenticated-remote',
      '--data-dir',
      dataDir(),
    ]);
    servers.push(server);
    expect(server.output()).toMatch(/"level":40[^\n]*INSECURE/);
    expect((await server.client.listJobs()).status).toBe(200);
  });

  it('starts with tokens, answers 401 without one, and works for a client sending one', async () => {
    const server = await startServerProcess(['--host', '0.0.0.0', '--data-dir', dataDir()], {
      JOBS_TOKENS: `ops:admin:${token}`,
    });
    servers.push(server);
    const anonymous = await server.client.listJobs();
    expect(anonymous.status).toBe(401);
    const client = createJobsClient({
      baseUrl: server.baseUrl,
      headers: { authorization: `Bearer ${token}` },
    });
    const submitted = await client.submitJob({ body: { entrypoint: 'echo hi' } });
    expect(submitted.status).toBe(200);
    await waitFor('the request log lines', () =>
      server.output().includes('"statusCode":200') ? true : undefined,
    );
    expect(server.output()).not.toContain(token);
    expect(server.output()).toContain('[redacted]');
  });
});
