import { ErrorBodySchema } from '@jobs/contract';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ServerProcess,
  plainLines,
  runServerToExit,
  startServerProcess,
} from './testing/serverProcess.js';
import { takePort } from './testing/takenPort.js';
import { makeDataDir } from './testing/testServer.js';
import { allTestTokens } from './testing/testTokens.js';

const dirs: string[] = [];
const servers: ServerProcess[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = makeDataDir();
  dirs.push(dir);
  return dir;
}

/** The server on free API and probe ports, with API tokens so that the API port needs them. */
async function startWithProbePort(): Promise<{ server: ServerProcess; probes: string }> {
  const tokens = allTestTokens.map(({ name, role, token }) => `${name}:${role}:${token}`);
  const server = await startServerProcess(['--data-dir', dataDir(), '--probe-port', '0'], {
    JOBS_TOKENS: tokens.join(','),
  });
  servers.push(server);
  // Logged before the API port's listening line, which the start waits for.
  const probePort = /"probePort":(\d+)[^\n]*health probes/.exec(server.output())?.[1];
  expect(probePort).toBeDefined();
  return { server, probes: `http://127.0.0.1:${probePort}` };
}

describe('a probe port', () => {
  it('answers /healthz and /readyz as the API port does, without a token', async () => {
    const { server, probes } = await startWithProbePort();
    const api = server.baseUrl;
    for (const path of ['/healthz', '/readyz']) {
      const [onApi, onProbes] = await Promise.all([
        fetch(`${api}${path}`),
        fetch(`${probes}${path}`),
      ]);
      expect(onProbes.status).toBe(200);
      expect(onApi.status).toBe(200);
      expect(await onProbes.json()).toEqual(await onApi.json());
    }
  });

  it('serves nothing else: the API, metrics and the dashboard are JSON 404s, not 401s', async () => {
    const { server, probes } = await startWithProbePort();
    expect((await fetch(`${server.baseUrl}/api/jobs`)).status).toBe(401);
    for (const path of ['/api/jobs', '/metrics', '/']) {
      const res = await fetch(`${probes}${path}`);
      expect(res.status).toBe(404);
      expect(ErrorBodySchema.parse(await res.json())).toEqual({
        code: 'NOT_FOUND',
        message: `There is no route GET ${path}.`,
      });
    }
    const submit = await fetch(`${probes}/api/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"entrypoint": "true"}',
    });
    expect(submit.status).toBe(404);
  });

  it('logs where it listens and is not logged per request', async () => {
    const { server, probes } = await startWithProbePort();
    expect(server.output()).toContain(
      `health probes (/healthz, /readyz) also answered on ${probes}`,
    );
    expect((await fetch(`${probes}/nothing-here`)).status).toBe(404);
    // The API port's request log, to show that a request there would be seen.
    await (await fetch(`${server.baseUrl}/nothing-there`)).arrayBuffer();
    await server.stop();
    expect(server.output()).toContain('/nothing-there');
    expect(server.output()).not.toContain('nothing-here');
  });

  it('stops the server at start with one line naming the port when it is taken (exit code 2)', async () => {
    const { port, release } = await takePort();
    try {
      const { code, output } = await runServerToExit([
        '--data-dir',
        dataDir(),
        '--port',
        '0',
        '--probe-port',
        `${port}`,
      ]);
      expect(code).toBe(2);
      expect(plainLines(output)).toEqual([
        `jobs-server: cannot listen on 127.0.0.1:${port}: port ${port} is already in use (--probe-port)`,
      ]);
    } finally {
      release();
    }
  });

  it('refuses the API port as probe port before opening anything (exit code 2)', async () => {
    const { code, output } = await runServerToExit([
      '--data-dir',
      dataDir(),
      '--port',
      '9555',
      '--probe-port',
      '9555',
    ]);
    expect(code).toBe(2);
    expect(output.trim()).toBe(
      'jobs-server: Invalid configuration: --probe-port / JOBS_PROBE_PORT: must differ from --port / JOBS_PORT (both are 9555)',
    );
  });
});
