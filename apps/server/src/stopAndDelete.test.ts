import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isProcessRunning } from './process/processIdentity.js';
import { processGroupMembers } from './executor/local/processGroup.js';
import { type TestServer, startTestServer } from './testing/testServer.js';
import { waitFor } from './testing/waitFor.js';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({ stopGraceMs: 1_500 });
});
afterEach(async () => {
  await server.dispose();
});

/** Waits for the job's log to print the pid of the child it started, and returns it. */
async function childPidOf(id: string): Promise<number> {
  return waitFor(`job ${id} to print its child's pid`, async () => {
    const res = await server.http.get(`/api/jobs/${id}/logs`).expect(200);
    const match = /child=(\d+)/.exec((res.body as { logs: string }).logs);
    return match ? Number(match[1]) : undefined;
  });
}

describe('POST /api/jobs/{id}/stop', () => {
  it('stops a running job and the child it started, answering true then false', async () => {
    const id = await server.submit({ entrypoint: 'sleep 300 & echo child=$!; wait' });
    const running = await server.waitForStatus(id, 'RUNNING');
    const driverPid = Number(running.driver_info.pid);
    const childPid = await childPidOf(id);
    expect(isProcessRunning(childPid)).toBe(true);

    const res = await server.http.post(`/api/jobs/${id}/stop`).expect(200);
    expect(res.body).toBe(true);
    expect(res.text).toBe('true');

    const stopped = await server.waitForStatus(id, 'STOPPED');
    expect(stopped.error_type).toBe('');
    expect(stopped.message).toBe('Job was stopped by request.');
    expect(stopped.driver_exit_code).toBe(-15);
    await waitFor('driver and child to be gone', () =>
      !isProcessRunning(driverPid) && !isProcessRunning(childPid) ? true : undefined,
    );
    expect(processGroupMembers(driverPid)).toEqual([]);

    const again = await server.http.post(`/api/jobs/${id}/stop/`).expect(200);
    expect(again.text).toBe('false');
  });

  it('kills a job that ignores SIGTERM after the grace period', async () => {
    const ready = join(server.dataDir, 'trap-ready');
    const id = await server.submit({
      entrypoint: `trap '' TERM; sleep 300 & echo child=$!; touch ${ready}; wait`,
    });
    const running = await server.waitForStatus(id, 'RUNNING');
    const childPid = await childPidOf(id);
    await waitFor('the trap to be set', () => (existsSync(ready) ? true : undefined));
    const stopRequestedAt = Date.now();

    expect((await server.http.post(`/api/jobs/${id}/stop`).expect(200)).body).toBe(true);
    const stopped = await server.waitForStatus(id, 'STOPPED');
    expect(stopped.driver_exit_code).toBe(-9);
    expect(Date.now() - stopRequestedAt).toBeGreaterThanOrEqual(1_400);
    await waitFor('every process of the job to be gone', () =>
      processGroupMembers(Number(running.driver_info.pid)).length === 0 &&
      !isProcessRunning(childPid)
        ? true
        : undefined,
    );
  });

  it('answers false for a job that has already ended', async () => {
    const id = await server.submit({ entrypoint: 'exit 1' });
    await server.waitForStatus(id, 'FAILED');
    const res = await server.http.post(`/api/jobs/${id}/stop`).expect(200);
    expect(res.body).toBe(false);
    expect((await server.getJob(id)).status).toBe('FAILED');
  });
});

describe('DELETE /api/jobs/{id}', () => {
  it('removes a finished job from the list and its log from disk', async () => {
    const id = await server.submit({ entrypoint: 'echo bye', submission_id: 'to-delete' });
    await server.submit({ entrypoint: 'true', submission_id: 'to-keep' });
    await server.waitForStatus(id, 'SUCCEEDED');
    const logFile = join(server.dataDir, 'logs', 'to-delete.log');
    expect(existsSync(logFile)).toBe(true);

    const res = await server.http.delete(`/api/jobs/${id}`).expect(200);
    expect(res.text).toBe('true');
    expect(existsSync(logFile)).toBe(false);
    await server.http.get(`/api/jobs/${id}`).expect(404);
    const list = await server.http.get('/api/jobs').expect(200);
    expect((list.body as { submission_id: string }[]).map((j) => j.submission_id)).toEqual([
      'to-keep',
    ]);
  });

  it('answers false and keeps a job that is still running', async () => {
    const id = await server.submit({ entrypoint: 'sleep 300' });
    await server.waitForStatus(id, 'RUNNING');
    const res = await server.http.delete(`/api/jobs/${id}/`).expect(200);
    expect(res.text).toBe('false');
    expect((await server.getJob(id)).status).toBe('RUNNING');
    expect(existsSync(join(server.dataDir, 'logs', `${id}.log`))).toBe(true);
  });

  it('deletes a finished job whose log file is already gone', async () => {
    const id = await server.submit({ entrypoint: 'true' });
    await server.waitForStatus(id, 'SUCCEEDED');
    writeFileSync(join(server.dataDir, 'logs', `${id}.log`), '');
    expect((await server.http.delete(`/api/jobs/${id}`).expect(200)).body).toBe(true);
    expect((await server.http.delete(`/api/jobs/${id}`).expect(404)).body.code).toBe(
      'JOB_NOT_FOUND',
    );
  });
});
