import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeArchive } from './testing/pythonFixtures.js';
import { type TestServer, startTestServer } from './testing/testServer.js';
import { waitFor } from './testing/waitFor.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.dispose();
});

async function logsOf(id: string): Promise<string> {
  return ((await server.http.get(`/api/jobs/${id}/logs`)).body as { logs: string }).logs;
}

describe('jobs with a runtime_env', () => {
  it('run in their extracted working_dir with both spellings of env vars', async () => {
    const archive = join(server.dataDir, 'project.zip');
    makeArchive(archive, 'zip', [{ name: 'data.txt', content: 'from the archive\n' }]);
    const id = await server.submit({
      entrypoint: 'cat data.txt; echo "$ONE $TWO"',
      runtime_env: {
        working_dir: `file://${archive}`,
        env_vars: { ONE: '1' },
        envVars: '{"TWO": "2"}',
      },
    });
    await server.waitForStatus(id, 'SUCCEEDED');
    expect(await logsOf(id)).toContain('from the archive\n1 2\n');
  });

  it('stay PENDING while setting up, then run', async () => {
    const gate = join(server.dataDir, 'setup-gate');
    const id = await server.submit({
      entrypoint: 'echo ran',
      runtime_env: { pip: `while [ ! -f ${gate} ]; do sleep 0.05; done` },
    });
    const pending = await waitFor('the setup message', async () => {
      const job = await server.getJob(id);
      return job.message.startsWith('Job is setting up its runtime environment') ? job : undefined;
    });
    expect(pending.status).toBe('PENDING');
    writeFileSync(gate, '');
    await server.waitForStatus(id, 'SUCCEEDED');
  });

  it('fail with RUNTIME_ENV_SETUP_FAILURE when setup fails, saying why', async () => {
    const id = await server.submit({
      entrypoint: 'echo never',
      runtime_env: { pip: 'echo "no such package" >&2; exit 4' },
    });
    const job = await server.waitForStatus(id, 'FAILED');
    expect(job.error_type).toBe('RUNTIME_ENV_SETUP_FAILURE');
    expect(job.message).toMatch(/^Job's runtime environment could not be set up: .*exit.*4/);
    expect(job.message).toContain('no such package');
    expect(await logsOf(id)).not.toContain('never');
  });

  it('are STOPPED when stopped during setup, ending the setup processes', async () => {
    const id = await server.submit({ entrypoint: 'echo never', runtime_env: { pip: 'sleep 300' } });
    await waitFor('setup to start', async () =>
      (await server.getJob(id)).message.startsWith('Job is setting up') ? true : undefined,
    );
    expect((await server.http.post(`/api/jobs/${id}/stop`).expect(200)).body).toBe(true);
    const job = await server.waitForStatus(id, 'STOPPED');
    expect(job.driver_info.pid).toBe('');
    expect(await logsOf(id)).not.toContain('never');
  });

  it('answer 400 for an unknown runtime_env key, naming the supported ones', async () => {
    const res = await server.http
      .post('/api/jobs')
      .send({ entrypoint: 'true', runtime_env: { conda: 'env' } })
      .expect(400);
    expect(res.body.message).toMatch(
      /runtime_env supports env_vars, envVars, working_dir, pip, config/,
    );
  });
});
