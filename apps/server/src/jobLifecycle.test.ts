import { existsSync } from 'node:fs';
import { JobDetailsSchema } from '@jobs/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isProcessRunning } from './process/processIdentity.js';
import { storeBackends } from './testing/storeBackends.js';
import { type TestServer, startTestServer } from './testing/testServer.js';

describe.each(storeBackends)('on $name', (backend) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer({ database: await backend.database() });
  });
  afterEach(async () => {
    await server.dispose();
  });

  describe('a submitted job', () => {
    it('goes PENDING -> RUNNING -> SUCCEEDED with its pid and exit code 0', async () => {
      const id = await server.submit({
        entrypoint: 'echo started; read line < /dev/null; sleep 0.3',
      });
      const running = await server.waitForStatus(id, 'RUNNING', 'SUCCEEDED');
      expect(running.driver_info.pid).toMatch(/^\d+$/);
      expect(running.driver_info.node_ip_address).toBe('127.0.0.1');

      const done = await server.waitForStatus(id, 'SUCCEEDED');
      expect(JobDetailsSchema.parse(done)).toEqual(done);
      expect(done).toMatchObject({
        type: 'SUBMISSION',
        submission_id: id,
        entrypoint: 'echo started; read line < /dev/null; sleep 0.3',
        status: 'SUCCEEDED',
        driver_exit_code: 0,
        error_type: '',
        driver_node_id: 'test-node',
        driver_agent_http_address: '',
        metadata: {},
        runtime_env: {},
        driver_info: { id, node_ip_address: '127.0.0.1', pid: running.driver_info.pid },
      });
      expect(Number(done.end_time)).toBeGreaterThanOrEqual(Number(done.start_time));
      expect(isProcessRunning(Number(done.driver_info.pid))).toBe(false);
    });

    it('is PENDING with empty driver fields and null exit code before it starts', async () => {
      const res = await server.http
        .post('/api/jobs')
        .send({ entrypoint: 'true', submission_id: 'early' })
        .expect(200);
      expect(res.body).toEqual({ submission_id: 'early' });
      const job = await server.getJob('early');
      if (job.status === 'PENDING') {
        expect(job.driver_info).toEqual({ id: 'early', node_ip_address: '', pid: '' });
        expect(job.driver_exit_code).toBeNull();
        expect(job.end_time).toBe('');
      }
      const done = await server.waitForStatus('early', 'SUCCEEDED');
      expect(done.driver_exit_code).toBe(0);
    });

    it('gets an app-<uuid v4> id when none is given, and keeps a given id verbatim', async () => {
      const generated = await server.submit({ entrypoint: 'true' });
      expect(generated).toMatch(
        /^app-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(await server.submit({ entrypoint: 'true', submission_id: 'My_job-1.v2' })).toBe(
        'My_job-1.v2',
      );
      expect(await server.submit({ entrypoint: 'true', job_id: 'legacy-alias' })).toBe(
        'legacy-alias',
      );
    });

    it('treats null values as absent', async () => {
      const id = await server.submit({
        entrypoint: 'true',
        submission_id: null,
        runtime_env: null,
        metadata: null,
        entrypoint_num_cpus: null,
        entrypoint_resources: null,
      });
      const job = await server.waitForStatus(id, 'SUCCEEDED');
      expect(job.metadata).toEqual({});
      expect(job.runtime_env).toEqual({});
    });

    it('fails with its exit code, error_type and the tail of its log in the message', async () => {
      const id = await server.submit({
        entrypoint:
          'for i in $(seq 1 40); do echo "line $i"; done; echo "boom on stderr" >&2; exit 3',
      });
      const job = await server.waitForStatus(id, 'FAILED');
      expect(job.driver_exit_code).toBe(3);
      expect(job.error_type).toBe('JOB_ENTRYPOINT_COMMAND_ERROR');
      expect(job.message).toMatch(/^Job failed with exit code 3\./);
      expect(job.message).toContain('line 40');
      expect(job.message).toContain('boom on stderr');
      expect(job.message).not.toContain('line 5\n');
      expect(job.end_time).toMatch(/^\d+$/);
    });

    it('records a negative signal number when a signal killed the driver', async () => {
      const id = await server.submit({ entrypoint: 'kill -KILL $$' });
      const job = await server.waitForStatus(id, 'FAILED');
      expect(job.driver_exit_code).toBe(-9);
      expect(job.error_type).toBe('JOB_ENTRYPOINT_COMMAND_ERROR');
      expect(job.message).toContain('SIGKILL');
    });

    it('captures stdout and stderr in one log, in order', async () => {
      const id = await server.submit({ entrypoint: 'echo out-1; echo err-1 >&2; echo out-2' });
      await server.waitForStatus(id, 'SUCCEEDED');
      const res = await server.http.get(`/api/jobs/${id}/logs`).expect(200);
      expect(res.body).toEqual({ logs: 'out-1\nerr-1\nout-2\n' });
    });

    it('runs with the server environment, runtime_env.env_vars and JOBS_SUBMISSION_ID', async () => {
      const id = await server.submit({
        submission_id: 'env-check',
        entrypoint: 'echo "$GREETING|$JOBS_SUBMISSION_ID|${PATH:+has-path}"',
        runtime_env: { env_vars: { GREETING: 'hello world' } },
      });
      await server.waitForStatus(id, 'SUCCEEDED');
      const res = await server.http.get(`/api/jobs/${id}/logs`).expect(200);
      expect(res.body).toEqual({ logs: 'hello world|env-check|has-path\n' });
      expect((await server.getJob(id)).runtime_env).toEqual({
        env_vars: { GREETING: 'hello world' },
      });
    });

    it('keeps metadata and runtime_env as submitted', async () => {
      const runtimeEnv = {
        env_vars: { A: '1' },
        working_dir: `file://${server.dataDir}`,
        pip: 'true',
      };
      const metadata = { team: 'ml', ttl: '1250' };
      const id = await server.submit({ entrypoint: 'true', metadata, runtime_env: runtimeEnv });
      const job = await server.waitForStatus(id, 'SUCCEEDED');
      expect(job.metadata).toEqual(metadata);
      expect(job.runtime_env).toEqual(runtimeEnv);
    });

    it('fails with JOB_ENTRYPOINT_COMMAND_START_ERROR when the entrypoint cannot be started', async () => {
      await server.dispose();
      server = await startTestServer({
        shell: '/nonexistent/sh',
        database: await backend.database(),
      });
      const id = await server.submit({ entrypoint: 'true' });
      const job = await server.waitForStatus(id, 'FAILED');
      expect(job.error_type).toBe('JOB_ENTRYPOINT_COMMAND_START_ERROR');
      expect(job.driver_exit_code).toBeNull();
      expect(job.message).toContain('ENOENT');
    });
  });

  describe('GET /api/jobs', () => {
    it('answers [] when there are no jobs', async () => {
      const res = await server.http.get('/api/jobs').expect(200);
      expect(res.body).toEqual([]);
    });

    it('lists every job newest submission first, with a trailing slash too', async () => {
      const ids = [];
      for (const n of [1, 2, 3, 4])
        ids.push(await server.submit({ entrypoint: 'true', submission_id: `job-${n}` }));
      const res = await server.http.get('/api/jobs/').expect(200);
      const listed = (res.body as { submission_id: string }[]).map((job) => job.submission_id);
      expect(listed).toEqual(['job-4', 'job-3', 'job-2', 'job-1']);
    });
  });

  describe('submission ids', () => {
    it('answers 409 for an id already in use and runs nothing more', async () => {
      await server.submit({ entrypoint: 'echo first', submission_id: 'taken' });
      const res = await server.http
        .post('/api/jobs')
        .send({ entrypoint: 'echo second', submission_id: 'taken' })
        .expect(409);
      expect(res.body).toEqual({
        code: 'JOB_ALREADY_EXISTS',
        message: expect.stringContaining("'taken'") as string,
      });
      await server.waitForStatus('taken', 'SUCCEEDED');
      const logs = await server.http.get('/api/jobs/taken/logs').expect(200);
      expect(logs.body).toEqual({ logs: 'first\n' });
    });

    it('keeps the log file inside the data dir', async () => {
      const id = await server.submit({ entrypoint: 'echo x', submission_id: 'file.name-ok_1' });
      await server.waitForStatus(id, 'SUCCEEDED');
      expect(existsSync(`${server.dataDir}/logs/file.name-ok_1.log`)).toBe(true);
    });
  });
});
