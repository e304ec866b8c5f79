import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isProcessRunning } from './process/processIdentity.js';
import { processGroupMembers, signalProcessGroup } from './executor/local/processGroup.js';
import { SqliteJobStore } from './store/sqlite/sqliteJobStore.js';
import { gatedEntrypoint } from './testing/gatedEntrypoint.js';
import {
  type ServerProcess,
  runServerToExit,
  startServerProcess,
} from './testing/serverProcess.js';
import { makeDataDir } from './testing/testServer.js';
import { waitFor } from './testing/waitFor.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function dataDir(): string {
  const dir = makeDataDir();
  cleanups.push(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

async function start(dir: string, ...flags: string[]): Promise<ServerProcess> {
  const server = await startServerProcess([
    '--data-dir',
    dir,
    '--stop-grace-seconds',
    '1',
    ...flags,
  ]);
  cleanups.push(() => server.child.kill('SIGKILL'));
  return server;
}

async function waitForStatus(server: ServerProcess, id: string, status: string) {
  return waitFor(`job ${id} to be ${status}`, async () => {
    const res = await server.client.getJob({ params: { submission_id: id } });
    return res.status === 200 && res.body.status === status ? res.body : undefined;
  });
}

async function submit(server: ServerProcess, entrypoint: string, submissionId: string) {
  const res = await server.client.submitJob({ body: { entrypoint, submission_id: submissionId } });
  expect(res.status).toBe(200);
}

async function crash(server: ServerProcess) {
  server.child.kill('SIGKILL');
  await server.exited;
}

/** Kills every process of a job and waits until none is left (zombies aside). */
async function killJob(pgid: number) {
  signalProcessGroup(pgid, 'SIGKILL');
  await waitFor(`job group ${pgid} to be gone`, () =>
    processGroupMembers(pgid).length === 0 ? true : undefined,
  );
}

describe('a restarted server', () => {
  it('keeps finished jobs and their logs', async () => {
    const dir = dataDir();
    const first = await start(dir);
    await submit(first, 'echo kept', 'finished-job');
    const finished = await waitForStatus(first, 'finished-job', 'SUCCEEDED');
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);

    const second = await start(dir);
    const res = await second.client.getJob({ params: { submission_id: 'finished-job' } });
    expect(res.body).toEqual(finished);
    const logs = await second.client.getJobLogs({ params: { submission_id: 'finished-job' } });
    expect(logs.body).toEqual({ logs: 'kept\n' });
  });

  it('adopts a job still running after the server was killed, and records its exit code', async () => {
    const dir = dataDir();
    const first = await start(dir);
    await submit(first, gatedEntrypoint(dir), 'survivor');
    const running = await waitForStatus(first, 'survivor', 'RUNNING');
    await crash(first);

    const second = await start(dir);
    const adopted = await waitForStatus(second, 'survivor', 'RUNNING');
    expect(adopted.driver_info.pid).toBe(running.driver_info.pid);
    writeFileSync(join(dir, 'go'), '0');
    const done = await waitForStatus(second, 'survivor', 'SUCCEEDED');
    expect(done.driver_exit_code).toBe(0);
    const logs = await second.client.getJobLogs({ params: { submission_id: 'survivor' } });
    expect(logs.body).toEqual({ logs: 'exiting with 0\n' });
  });

  it('records the real exit code of a job that ended while the server was down', async () => {
    const dir = dataDir();
    const first = await start(dir);
    await submit(first, gatedEntrypoint(dir), 'ended-meanwhile');
    const running = await waitForStatus(first, 'ended-meanwhile', 'RUNNING');
    await crash(first);
    writeFileSync(join(dir, 'go'), '5');
    const pid = Number(running.driver_info.pid);
    await waitFor('the driver to end', () => (isProcessRunning(pid) ? undefined : true));

    const second = await start(dir);
    const failed = await waitForStatus(second, 'ended-meanwhile', 'FAILED');
    expect(failed).toMatchObject({
      driver_exit_code: 5,
      error_type: 'JOB_ENTRYPOINT_COMMAND_ERROR',
    });
    expect(failed.message).toMatch(
      /^Job failed with exit code 5\. Last lines of its log:\nexiting with 5/,
    );
  });

  it('marks FAILED JOB_DRIVER_LOST only a driver that vanished without a record', async () => {
    const dir = dataDir();
    const first = await start(dir);
    await submit(first, 'sleep 300', 'vanished');
    const running = await waitForStatus(first, 'vanished', 'RUNNING');
    await crash(first);
    await killJob(Number(running.driver_info.pid));

    const second = await start(dir);
    const lost = await waitForStatus(second, 'vanished', 'FAILED');
    expect(lost).toMatchObject({ error_type: 'JOB_DRIVER_LOST', driver_exit_code: null });
    expect(lost.message).toContain(`pid ${running.driver_info.pid}`);
    expect(lost.end_time).toMatch(/^\d+$/);
  });

  it('starts a job that was accepted but not started before the server went down', async () => {
    const dir = dataDir();
    const store = new SqliteJobStore(join(dir, 'jobs.sqlite'));
    await store.insert({
      submissionId: 'accepted-only',
      entrypoint: 'echo started late',
      message: 'Job is waiting to start.',
      startTime: Date.now(),
      metadata: {},
      runtimeEnv: {},
      resources: {},
      nodeId: 'n',
      requestDigest: 'd',
    });
    await store.close();

    const server = await start(dir);
    await waitForStatus(server, 'accepted-only', 'SUCCEEDED');
    const logs = await server.client.getJobLogs({ params: { submission_id: 'accepted-only' } });
    expect(logs.body).toEqual({ logs: 'started late\n' });
  });
});

describe('server shutdown', () => {
  it('leaves running jobs running by default, for the next server to adopt', async () => {
    const dir = dataDir();
    const server = await start(dir);
    await submit(server, gatedEntrypoint(dir), 'left-running');
    const running = await waitForStatus(server, 'left-running', 'RUNNING');
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
    const pid = Number(running.driver_info.pid);
    expect(isProcessRunning(pid)).toBe(true);
    cleanups.push(() => signalProcessGroup(pid, 'SIGKILL'));

    const next = await start(dir);
    writeFileSync(join(dir, 'go'), '0');
    await waitForStatus(next, 'left-running', 'SUCCEEDED');
  });

  it('stops running jobs with --stop-jobs-on-shutdown, recording them as STOPPED', async () => {
    const dir = dataDir();
    const server = await start(dir, '--stop-jobs-on-shutdown');
    await submit(server, 'sleep 300', 'stopped-at-shutdown');
    const running = await waitForStatus(server, 'stopped-at-shutdown', 'RUNNING');
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
    expect(processGroupMembers(Number(running.driver_info.pid))).toEqual([]);

    const again = await start(dir);
    const res = await again.client.getJob({ params: { submission_id: 'stopped-at-shutdown' } });
    expect(res.body).toMatchObject({
      status: 'STOPPED',
      message: 'Job was stopped because the job server shut down.',
    });
  });
});

describe('server start-up', () => {
  it('refuses a second server on the same data dir', async () => {
    const dir = dataDir();
    const first = await start(dir);
    const second = await runServerToExit(['--data-dir', dir, '--port', '0']);
    expect(second.code).toBe(2);
    expect(second.output).toContain(`in use by another job server (pid ${first.child.pid})`);
    expect(existsSync(join(dir, 'server.pid'))).toBe(true);
  });

  it('refuses invalid configuration with a message naming the setting', async () => {
    const result = await runServerToExit(['--port', 'eighty']);
    expect(result.code).toBe(2);
    expect(result.output).toContain('--port / JOBS_PORT');
  });
});
