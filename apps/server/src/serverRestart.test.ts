import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { isProcessRunning } from './runner/processGroup.js';
import {
  type ServerProcess,
  runServerToExit,
  startServerProcess,
} from './testing/serverProcess.js';
import { makeDataDir } from './testing/testServer.js';
import { waitFor } from './testing/waitFor.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function dataDir(): string {
  const dir = makeDataDir();
  cleanups.push(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

async function start(dir: string): Promise<ServerProcess> {
  const server = await startServerProcess(['--data-dir', dir, '--stop-grace-seconds', '1']);
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

describe('the server process', () => {
  it('keeps finished jobs and their logs across a restart', async () => {
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

  it('resolves a job left RUNNING by a killed server as FAILED JOB_DRIVER_LOST, ending its driver', async () => {
    const dir = dataDir();
    const first = await start(dir);
    await submit(first, 'sleep 300', 'interrupted');
    const running = await waitForStatus(first, 'interrupted', 'RUNNING');
    const driverPid = Number(running.driver_info.pid);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(isProcessRunning(driverPid)).toBe(true);

    const second = await start(dir);
    const res = await second.client.getJob({ params: { submission_id: 'interrupted' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'FAILED',
      error_type: 'JOB_DRIVER_LOST',
      driver_exit_code: null,
    });
    if (res.status === 200) {
      expect(res.body.message).toContain(`pid ${driverPid}`);
      expect(res.body.end_time).toMatch(/^\d+$/);
    }
    await waitFor('the lost driver to be ended', () =>
      isProcessRunning(driverPid) ? undefined : true,
    );
  });

  it('stops running jobs on SIGTERM, records them as STOPPED, and exits 0', async () => {
    const dir = dataDir();
    const server = await start(dir);
    await submit(server, 'sleep 300', 'running-at-shutdown');
    const running = await waitForStatus(server, 'running-at-shutdown', 'RUNNING');
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
    expect(isProcessRunning(Number(running.driver_info.pid))).toBe(false);

    const again = await start(dir);
    const res = await again.client.getJob({ params: { submission_id: 'running-at-shutdown' } });
    expect(res.body).toMatchObject({
      status: 'STOPPED',
      message: 'Job was stopped because the job server shut down.',
    });
  });

  it('refuses a second server on the same data dir', async () => {
    const dir = dataDir();
    const first = await start(dir);
    const second = await runServerToExit(['--data-dir', dir, '--port', '0']);
    expect(second.code).toBe(2);
    expect(second.output).toContain(`in use by another job server (pid ${first.child.pid})`);
  });

  it('refuses invalid configuration with a message naming the setting', async () => {
    const result = await runServerToExit(['--port', 'eighty']);
    expect(result.code).toBe(2);
    expect(result.output).toContain('--port / JOBS_PORT');
  });
});
