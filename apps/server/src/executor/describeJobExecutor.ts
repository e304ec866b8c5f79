import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobDetails } from '@jobs/contract';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerOptions } from '../openServer.js';
import { isProcessRunning } from '../process/processIdentity.js';
import { type TestServer, startTestServer } from '../testing/testServer.js';
import { waitFor } from '../testing/waitFor.js';

/** How the suite runs jobs on one executor. */
export interface ExecutorUnderTest {
  /** Server options that select and configure the executor; called once per server. */
  serverOptions(): Partial<ServerOptions>;
  /**
   * Jobs asking `entrypoint_num_cpus: 2` that, running together, leave no room for another
   * such job: the next one has to wait.
   */
  jobsFillingCapacity: number;
  /** Directory both the server and the executor's jobs see (for files the tests exchange). */
  sharedDir(): string;
  /** Longest wait for a job to change state (a cluster scheduler takes longer than a fork). */
  timeoutMs: number;
}

/**
 * What every JobExecutor must do, checked through the whole server (HTTP, service, lifecycle,
 * store) against a real executor: processes on this machine, or a real cluster.
 */
export function describeJobExecutor(name: string, setUp: () => Promise<ExecutorUnderTest>): void {
  describe(`${name} executor (conformance)`, () => {
    let executor: ExecutorUnderTest;
    const servers: TestServer[] = [];
    const dirs: string[] = [];

    beforeAll(async () => {
      executor = await setUp();
    });
    afterEach(async () => {
      for (const server of servers.splice(0)) await server.dispose();
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    });
    afterAll(() => {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    });

    const start = async (overrides: Partial<ServerOptions> = {}) => {
      const server = await startTestServer({ ...executor.serverOptions(), ...overrides });
      servers.push(server);
      return server;
    };
    const exchangeDir = () => {
      const dir = mkdtempSync(join(executor.sharedDir(), 'exchange-'));
      dirs.push(dir);
      return dir;
    };
    const waitForStatus = (server: TestServer, id: string, ...statuses: JobDetails['status'][]) =>
      waitFor(
        `job ${id} to be ${statuses.join(' or ')}`,
        async () => {
          const job = await server.getJob(id);
          return statuses.includes(job.status) ? job : undefined;
        },
        executor.timeoutMs,
      );
    const logOf = async (server: TestServer, id: string) =>
      ((await server.http.get(`/api/jobs/${id}/logs`).expect(200)).body as { logs: string }).logs;
    const waitForLog = (server: TestServer, id: string, pattern: RegExp) =>
      waitFor(
        `the log of ${id} to match ${String(pattern)}`,
        async () => (await logOf(server, id)).match(pattern) ?? undefined,
        executor.timeoutMs,
      );

    it('runs a job PENDING -> RUNNING -> SUCCEEDED with exit code 0 and a driver', async () => {
      const server = await start();
      const dir = exchangeDir();
      const id = await server.submit({
        entrypoint: `while [ ! -e ${dir}/go ]; do sleep 0.05; done; echo done`,
      });
      const running = await waitForStatus(server, id, 'RUNNING');
      expect(running.driver_info.id).not.toBe('');
      expect(running.driver_node_id).not.toBe('');
      writeFileSync(join(dir, 'go'), '');
      const ended = await waitForStatus(server, id, 'SUCCEEDED', 'FAILED', 'STOPPED');
      expect(ended).toMatchObject({ status: 'SUCCEEDED', driver_exit_code: 0, error_type: '' });
      expect(ended.end_time).not.toBe('');
      expect(await logOf(server, id)).toBe('done\n');
    });

    it('fails a job that exits 3 with its exit code, error_type and the tail of its log', async () => {
      const server = await start();
      const id = await server.submit({ entrypoint: 'echo first; echo "the reason" >&2; exit 3' });
      const ended = await waitForStatus(server, id, 'SUCCEEDED', 'FAILED', 'STOPPED');
      expect(ended).toMatchObject({
        status: 'FAILED',
        driver_exit_code: 3,
        error_type: 'JOB_ENTRYPOINT_COMMAND_ERROR',
      });
      expect(ended.message).toContain('exit code 3');
      expect(ended.message).toMatch(/Last lines of its log:\nfirst\nthe reason/);
    });

    it('stops a running job: SIGTERM, SIGKILL after the grace period, nothing left running', async () => {
      const server = await start({ stopGraceMs: 1_000 });
      // The job and a child both ignore SIGTERM: only SIGKILL ends them.
      const id = await server.submit({
        entrypoint:
          "trap '' TERM; sh -c \"trap '' TERM; sleep 300\" & echo child=$!; echo self=$$; wait",
      });
      await waitForStatus(server, id, 'RUNNING');
      const [, child, self] = (await waitForLog(server, id, /child=(\d+)\nself=(\d+)/)).map(Number);
      expect(isProcessRunning(child ?? 0)).toBe(true);
      const stopped = await server.http.post(`/api/jobs/${id}/stop`).expect(200);
      expect(stopped.body).toBe(true);
      const ended = await waitForStatus(server, id, 'SUCCEEDED', 'FAILED', 'STOPPED');
      expect(ended.status).toBe('STOPPED');
      await waitFor(
        'every process of the job to be gone',
        () => (isProcessRunning(child ?? 0) || isProcessRunning(self ?? 0) ? undefined : true),
        executor.timeoutMs,
      );
      expect((await server.http.post(`/api/jobs/${id}/stop`).expect(200)).body).toBe(false);
    });

    it('stops a job that waits for resources before it ever runs', async () => {
      const server = await start();
      const dir = exchangeDir();
      const blockers: string[] = [];
      for (let i = 0; i < executor.jobsFillingCapacity; i++) {
        blockers.push(
          await server.submit({
            entrypoint: `while [ ! -e ${dir}/go ]; do sleep 0.05; done`,
            entrypoint_num_cpus: 2,
          }),
        );
      }
      for (const blocker of blockers) await waitForStatus(server, blocker, 'RUNNING');
      const waiting = await server.submit({
        entrypoint: `touch ${dir}/waiting-job-ran`,
        entrypoint_num_cpus: 2,
      });
      expect((await server.getJob(waiting)).status).toBe('PENDING');
      expect((await server.http.post(`/api/jobs/${waiting}/stop`).expect(200)).body).toBe(true);
      const ended = await waitForStatus(server, waiting, 'SUCCEEDED', 'FAILED', 'STOPPED');
      expect(ended).toMatchObject({ status: 'STOPPED', driver_exit_code: null });
      writeFileSync(join(dir, 'go'), '');
      for (const blocker of blockers) await waitForStatus(server, blocker, 'SUCCEEDED');
      expect(() => readFileSync(join(dir, 'waiting-job-ran'))).toThrow();
    });

    it('gives the job its env_vars, working_dir and JOBS_SUBMISSION_ID', async () => {
      const server = await start();
      const workingDir = exchangeDir();
      mkdirSync(join(workingDir, 'data'));
      writeFileSync(join(workingDir, 'data', 'input.txt'), 'from the working dir\n');
      const id = await server.submit({
        entrypoint: 'echo "$GREETING $JOBS_SUBMISSION_ID"; cat data/input.txt',
        runtime_env: {
          env_vars: { GREETING: 'it is "quoted" & $literal' },
          working_dir: workingDir,
        },
      });
      const ended = await waitForStatus(server, id, 'SUCCEEDED', 'FAILED', 'STOPPED');
      expect(ended.status).toBe('SUCCEEDED');
      // Setup may say what it did first; the job's own output ends the log.
      expect(await logOf(server, id)).toMatch(
        new RegExp(`(^|\n)it is "quoted" & \\$literal ${id}\nfrom the working dir\n$`),
      );
    });

    it('keeps the order of stdout and stderr in the log', async () => {
      const server = await start();
      const id = await server.submit({
        entrypoint: 'i=0; while [ $i -lt 100 ]; do echo out$i; echo err$i >&2; i=$((i+1)); done',
      });
      await waitForStatus(server, id, 'SUCCEEDED');
      const expected = Array.from({ length: 100 }, (_, i) => `out${i}\nerr${i}\n`).join('');
      expect(await logOf(server, id)).toBe(expected);
    });

    it('follows running jobs again after a restart and records their exact outcomes', async () => {
      const dataDir = mkdtempSync(join(executor.sharedDir(), 'data-'));
      dirs.push(dataDir);
      const dir = exchangeDir();
      const first = await startTestServer({
        ...executor.serverOptions(),
        dataDir,
        stopJobsOnShutdown: false,
      });
      const endsWhileDown = await first.submit({
        entrypoint: `while [ ! -e ${dir}/first ]; do sleep 0.05; done; exit 5`,
      });
      const endsAfter = await first.submit({
        entrypoint: `while [ ! -e ${dir}/second ]; do sleep 0.05; done; echo after; exit 4`,
      });
      const before = await waitForStatus(first, endsAfter, 'RUNNING');
      await waitForStatus(first, endsWhileDown, 'RUNNING');
      await first.close();

      writeFileSync(join(dir, 'first'), '');
      const second = await start({ dataDir, stopJobsOnShutdown: true });
      const downOutcome = await waitForStatus(second, endsWhileDown, 'SUCCEEDED', 'FAILED');
      expect(downOutcome).toMatchObject({ status: 'FAILED', driver_exit_code: 5 });
      const still = await second.getJob(endsAfter);
      expect(still.status).toBe('RUNNING');
      expect(still.driver_info).toEqual(before.driver_info);
      writeFileSync(join(dir, 'second'), '');
      const after = await waitForStatus(second, endsAfter, 'SUCCEEDED', 'FAILED');
      expect(after).toMatchObject({
        status: 'FAILED',
        driver_exit_code: 4,
        error_type: 'JOB_ENTRYPOINT_COMMAND_ERROR',
      });
      expect(after.message).toContain('after');
    });
  });
}
