import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJobsClient, okBody } from '@jobs/client';
import { type JobsServer, startJobsServer } from '@jobs/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { isProcessRunning } from '../../process/processIdentity.js';
import { type TestServer, startTestServer } from '../../testing/testServer.js';
import { waitFor } from '../../testing/waitFor.js';

let server: TestServer | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await server?.dispose();
  server = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const logOf = async (id: string) =>
  ((await server?.http.get(`/api/jobs/${id}/logs`).expect(200))?.body as { logs: string }).logs;

/** The pids a job printed as `name=<pid>` lines. */
async function printedPids(id: string, ...names: string[]): Promise<number[]> {
  return waitFor(`job ${id} to print ${names.join(', ')}`, async () => {
    const log = await logOf(id);
    const pids = names.map((name) => new RegExp(`${name}=(\\d+)`).exec(log)?.[1]);
    return pids.every((pid) => pid !== undefined) ? pids.map(Number) : undefined;
  });
}

const gone = (pids: number[]) =>
  waitFor(`processes ${pids.join(', ')} to end`, () =>
    pids.some(isProcessRunning) ? undefined : true,
  );

describe('what a job starts ends with it', () => {
  it('ends processes that left the process group (setsid, setpgid) when the job is stopped', async () => {
    server = await startTestServer({ stopGraceMs: 500 });
    const id = await server.submit({
      entrypoint: [
        "setsid sh -c 'echo session=$$; exec sleep 300' &",
        'python3 -c \'import os, time; os.setpgid(0, 0); print("group=%d" % os.getpid(), flush=True); time.sleep(300)\' &',
        'wait',
      ].join('\n'),
    });
    await server.waitForStatus(id, 'RUNNING');
    const pids = await printedPids(id, 'session', 'group');
    expect(pids.every(isProcessRunning)).toBe(true);
    expect((await server.http.post(`/api/jobs/${id}/stop`).expect(200)).body).toBe(true);
    expect((await server.waitForStatus(id, 'STOPPED')).status).toBe('STOPPED');
    await gone(pids);
  });

  it('ends what a finished job left running in the background', async () => {
    server = await startTestServer({ stopGraceMs: 500 });
    const id = await server.submit({
      entrypoint: "setsid sh -c 'echo daemon=$$; exec sleep 300' & sleep 0.5",
    });
    const [daemon] = await printedPids(id, 'daemon');
    expect((await server.waitForStatus(id, 'SUCCEEDED')).driver_exit_code).toBe(0);
    await gone([daemon ?? 0]);
  });

  it('ends the children of a job that killed its own wrapper, and records it as failed', async () => {
    server = await startTestServer({ stopGraceMs: 500 });
    const id = await server.submit({
      entrypoint: 'sleep 300 & echo child=$!; sleep 0.2; kill -9 $PPID; sleep 300',
    });
    const [child] = await printedPids(id, 'child');
    const ended = await server.waitForStatus(id, 'FAILED', 'SUCCEEDED', 'STOPPED');
    expect(ended).toMatchObject({ status: 'FAILED', driver_exit_code: -9 });
    await gone([child ?? 0]);
    expect((await server.http.post(`/api/jobs/${id}/stop`).expect(200)).body).toBe(false);
  });
});

describe('runtime_env setup across a crash of the server', () => {
  let processes: JobsServer[] = [];
  afterEach(async () => {
    for (const p of processes) await p.stop();
    processes = [];
  });

  it('ends the setup an earlier server left running before setting the job up again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobs-setup-crash-'));
    dirs.push(dir);
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    const first = await startJobsServer({ dataDir });
    processes.push(first);
    const client = createJobsClient({ baseUrl: first.baseUrl });
    const { submission_id: id } = okBody(
      await client.submitJob({
        body: {
          entrypoint: 'echo ran',
          runtime_env: {
            pip: `echo $$ >> ${dir}/setup-pids; while [ ! -e ${dir}/go ]; do sleep 0.05; done`,
          },
        },
      }),
    );
    const pidsSoFar = () =>
      readFileSync(join(dir, 'setup-pids'), 'utf8').split('\n').filter(Boolean).map(Number);
    const firstSetup = await waitFor('the first setup to start', () => pidsSoFar()[0]);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(isProcessRunning(firstSetup)).toBe(true);

    const second = await startJobsServer({ dataDir, stopJobsOnShutdown: true });
    processes.push(second);
    await waitFor('the setup to start again', () => (pidsSoFar().length === 2 ? true : undefined));
    expect(isProcessRunning(firstSetup)).toBe(false);
    writeFileSync(join(dir, 'go'), '');
    const again = createJobsClient({ baseUrl: second.baseUrl });
    const job = await waitFor('the job to succeed', async () => {
      const { status } = okBody(await again.getJob({ params: { submission_id: id } }));
      return status === 'SUCCEEDED' ? status : undefined;
    });
    expect(job).toBe('SUCCEEDED');
    expect(pidsSoFar()).toHaveLength(2);
  });
});
