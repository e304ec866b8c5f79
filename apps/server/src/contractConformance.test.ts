import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import {
  JobsApiError,
  createJobsClient,
  followJobEvents,
  followJobLogs,
  pollingLogTransport,
  iterateJobs,
  waitForJob,
  type JobsClient,
} from '@jobs/client';
import { jobsContract } from '@jobs/contract';
import type { ZodTypeAny } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeBackends } from './testing/storeBackends.js';
import { type TestServer, startTestServer } from './testing/testServer.js';
import { waitFor } from './testing/waitFor.js';

type RouteName = keyof typeof jobsContract;

/** Every route answered with a status it declares, and a body its schema for that status accepts. */
function expectConforms(route: RouteName, response: { status: number; body: unknown }) {
  const responses = jobsContract[route].responses as Record<number, ZodTypeAny | undefined>;
  const schema = responses[response.status];
  expect(schema, `${route} does not declare status ${response.status}`).toBeDefined();
  const parsed = schema?.safeParse(response.body);
  expect(parsed?.success, JSON.stringify(parsed?.error?.issues)).toBe(true);
  // Exactly what the schema describes: no extra keys slip through.
  expect(parsed?.data).toEqual(response.body);
}

describe.each(storeBackends)('on $name', (backend) => {
  let server: TestServer;
  let listener: Server;
  let client: JobsClient;
  beforeAll(async () => {
    server = await startTestServer({
      capacity: { cpus: 2, gpus: 0, memoryBytes: 1024 ** 3, custom: { widget: 1 } },
      database: await backend.database(),
    });
    listener = server.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => listener.once('listening', resolve));
    client = createJobsClient({
      baseUrl: `http://127.0.0.1:${(listener.address() as AddressInfo).port}/`,
    });
  });
  afterAll(async () => {
    await new Promise((resolve) => listener.close(resolve));
    await server.dispose();
  });

  async function waitForStatus(id: string, status: string) {
    return waitFor(`job ${id} to be ${status}`, async () => {
      const res = await client.getJob({ params: { submission_id: id } });
      return res.status === 200 && res.body.status === status ? res : undefined;
    });
  }

  describe('@jobs/client against a listening server', () => {
    it('drives every route, each answer conforming to the contract', async () => {
      const version = await client.getVersion();
      expectConforms('getVersion', version);
      expect(version.body).toEqual({ version: '1', server_version: '0.1.0' });

      const empty = await client.listJobs();
      expectConforms('listJobs', empty);
      expect(empty.body).toEqual([]);

      const submitted = await client.submitJob({
        body: {
          entrypoint: 'echo "$WHO"; exit 4',
          submission_id: 'client-job',
          metadata: { owner: 'frontend' },
          runtime_env: { env_vars: { WHO: 'client' } },
          entrypoint_num_cpus: 0.5,
          entrypoint_memory: 1024,
          entrypoint_resources: { widget: 1 },
        },
      });
      expectConforms('submitJob', submitted);
      expect(submitted).toMatchObject({ status: 200, body: { submission_id: 'client-job' } });

      const failed = await waitForStatus('client-job', 'FAILED');
      expectConforms('getJob', failed);
      expect(failed.body).toMatchObject({ driver_exit_code: 4, metadata: { owner: 'frontend' } });

      const listed = await client.listJobs();
      expectConforms('listJobs', listed);
      expect(listed.status === 200 && listed.body.map((job) => job.submission_id)).toEqual([
        'client-job',
      ]);

      const logs = await client.getJobLogs({ params: { submission_id: 'client-job' } });
      expectConforms('getJobLogs', logs);
      expect(logs.body).toEqual({ logs: 'client\n' });

      const stop = await client.stopJob({ params: { submission_id: 'client-job' } });
      expectConforms('stopJob', stop);
      expect(stop).toMatchObject({ status: 200, body: false });

      const running = await client.submitJob({
        body: { entrypoint: 'sleep 300', submission_id: 'long' },
      });
      expectConforms('submitJob', running);
      await waitForStatus('long', 'RUNNING');
      const notDeleted = await client.deleteJob({ params: { submission_id: 'long' } });
      expectConforms('deleteJob', notDeleted);
      expect(notDeleted.body).toBe(false);
      const stopped = await client.stopJob({ params: { submission_id: 'long' } });
      expectConforms('stopJob', stopped);
      expect(stopped.body).toBe(true);
      await waitForStatus('long', 'STOPPED');

      const deleted = await client.deleteJob({ params: { submission_id: 'client-job' } });
      expectConforms('deleteJob', deleted);
      expect(deleted.body).toBe(true);
    });

    it('answers every error with a declared status and the shared error body', async () => {
      const duplicate = await client.submitJob({
        body: { entrypoint: 'true', submission_id: 'dup' },
      });
      expectConforms('submitJob', duplicate);
      const conflict = await client.submitJob({
        body: { entrypoint: 'false', submission_id: 'dup' },
      });
      expectConforms('submitJob', conflict);
      expect(conflict.status).toBe(409);

      const invalid = await client.submitJob({ body: { entrypoint: '' } });
      expectConforms('submitJob', invalid);
      expect(invalid.status).toBe(400);

      const tooLarge = await client.submitJob({
        body: { entrypoint: 'true', metadata: { blob: 'x'.repeat(100_000) } },
      });
      expectConforms('submitJob', tooLarge);
      expect(tooLarge.status).toBe(413);

      for (const route of ['getJob', 'stopJob', 'deleteJob', 'getJobLogs'] as const) {
        const res = await client[route]({ params: { submission_id: 'nobody' } });
        expectConforms(route, res);
        expect(res.status).toBe(404);
      }
    });

    it('waits, iterates and follows logs with the client helpers', async () => {
      const id = 'helper-job';
      await client.submitJob({
        body: { entrypoint: 'echo one; sleep 0.5; echo two; exit 3', submission_id: id },
      });
      const running = await waitForJob(client, id, { until: 'RUNNING', intervalMs: 20 });
      expect(running.driver_info.pid).not.toBe('');

      let followed = '';
      for await (const chunk of followJobLogs(client, id, { intervalMs: 20 })) followed += chunk;
      expect(followed).toBe('one\ntwo\n');

      const ended = await waitForJob(client, id, { timeoutMs: 30_000 });
      expect(ended).toMatchObject({ status: 'FAILED', driver_exit_code: 3 });

      const failedIds: string[] = [];
      for await (const job of iterateJobs(client, { status: 'FAILED' })) {
        failedIds.push(job.submission_id);
      }
      expect(failedIds).toContain(id);
      expect(failedIds).not.toContain('long');

      const missing = await waitForJob(client, 'nobody').catch((error: unknown) => error);
      expect(missing).toBeInstanceOf(JobsApiError);
      expect(missing).toMatchObject({ status: 404, code: 'JOB_NOT_FOUND' });
      expect((missing as Error).message).toContain('nobody');
    });

    it('follows job events and a log from an offset with the client helpers', async () => {
      const abort = new AbortController();
      let markOpen: () => void = () => undefined;
      const opened = new Promise<void>((resolve) => {
        markOpen = resolve;
      });
      const changes: string[] = [];
      const following = (async () => {
        for await (const event of followJobEvents(client, {
          signal: abort.signal,
          onConnection: (connection) => {
            if (connection.state === 'open') markOpen();
          },
        })) {
          if (event.job.submission_id !== 'evented') continue;
          changes.push(`${event.type} ${event.job.status}`);
          if (event.job.status === 'SUCCEEDED') abort.abort();
        }
      })().catch((error: unknown) => {
        if (!abort.signal.aborted) throw error;
      });
      await opened;
      await client.submitJob({ body: { entrypoint: 'echo 0123456789', submission_id: 'evented' } });
      await following;
      expect(changes[0]).toBe('created PENDING');
      expect(changes.at(-1)).toBe('status_changed SUCCEEDED');
      expect(changes).toContain('status_changed RUNNING');

      for (const transport of [undefined, pollingLogTransport]) {
        let tail = '';
        for await (const chunk of followJobLogs(client, 'evented', {
          fromOffset: 6,
          intervalMs: 20,
          ...(transport ? { transport } : {}),
        })) {
          tail += chunk;
        }
        expect(tail).toBe('6789\n');
      }
    });

    it('declares 400, 409, 413 and 415 on submit and 404 on every route of one job', () => {
      expect(Object.keys(jobsContract.submitJob.responses)).toEqual(
        expect.arrayContaining(['200', '400', '409', '413', '415', '500']),
      );
      for (const route of ['getJob', 'stopJob', 'deleteJob', 'getJobLogs'] as const) {
        expect(Object.keys(jobsContract[route].responses)).toContain('404');
      }
    });
  });
});
