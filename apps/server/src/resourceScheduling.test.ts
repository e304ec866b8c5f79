import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from './testing/testServer.js';
import { waitFor } from './testing/waitFor.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.dispose();
  server = undefined;
});

async function oneCpuServer(
  overrides: {
    startTimeoutMs?: number;
    gpus?: number;
    maxRunningJobs?: number;
    queuePolicy?: 'backfill' | 'strict';
  } = {},
) {
  server = await startTestServer({
    queuePolicy: overrides.queuePolicy,
    capacity: {
      cpus: 1,
      gpus: overrides.gpus ?? 0,
      memoryBytes: 1024 ** 3,
      custom: { widget: 2 },
      maxRunningJobs: overrides.maxRunningJobs,
    },
    startTimeoutMs: overrides.startTimeoutMs ?? 60_000,
  });
  return server;
}

/** Appends the job's name to a shared file when it starts, then waits for its own gate file. */
function gatedJob(s: TestServer, name: string): string {
  const order = join(s.dataDir, 'order');
  const gate = join(s.dataDir, `go-${name}`);
  return `echo ${name} >> ${order}; while [ ! -f ${gate} ]; do sleep 0.05; done`;
}

/** Waits until the gated job runs and has written its name, so the order file is settled. */
async function waitForStarted(s: TestServer, name: string) {
  await s.waitForStatus(name, 'RUNNING');
  await waitFor(`${name} to write its name`, () => {
    const lines = readFileSync(join(s.dataDir, 'order'), 'utf8').split('\n');
    return lines.includes(name) ? true : undefined;
  });
}

function open(s: TestServer, name: string) {
  writeFileSync(join(s.dataDir, `go-${name}`), '');
}

describe('resources and queueing', () => {
  it('keeps jobs that do not fit PENDING and starts them in submission order', async () => {
    const s = await oneCpuServer();
    for (const name of ['a', 'b', 'c']) {
      await s.submit({
        entrypoint: gatedJob(s, name),
        submission_id: name,
        entrypoint_num_cpus: 1,
      });
    }
    await s.waitForStatus('a', 'RUNNING');
    const waiting = await s.getJob('b');
    expect(waiting.status).toBe('PENDING');
    expect(waiting.message).toBe(
      'Job is waiting for resources: it needs 1 CPU. It is 1st in the queue.',
    );
    expect((await s.getJob('c')).status).toBe('PENDING');
    expect((await s.getJob('c')).message).toBe(
      'Job is waiting for resources: it needs 1 CPU. It is 2nd in the queue.',
    );

    open(s, 'a');
    await s.waitForStatus('b', 'RUNNING');
    expect((await s.getJob('c')).status).toBe('PENDING');
    open(s, 'b');
    open(s, 'c');
    await s.waitForStatus('c', 'SUCCEEDED');
    expect(readFileSync(join(s.dataDir, 'order'), 'utf8')).toBe('a\nb\nc\n');
  });

  it('lets a job without resource requests run beside a full CPU, unless the job cap says no', async () => {
    const s = await oneCpuServer({ maxRunningJobs: 1 });
    await s.submit({
      entrypoint: gatedJob(s, 'big'),
      submission_id: 'big',
      entrypoint_num_cpus: 1,
    });
    await s.waitForStatus('big', 'RUNNING');
    await s.submit({ entrypoint: 'true', submission_id: 'small' });
    await waitFor('small to wait for a slot', async () =>
      (await s.getJob('small')).message.includes('a free job slot') ? true : undefined,
    );
    open(s, 'big');
    await s.waitForStatus('small', 'SUCCEEDED');
  });

  it('fails at once a request that can never fit, naming the resource', async () => {
    const s = await oneCpuServer();
    const cpus = await s.submit({ entrypoint: 'true', entrypoint_num_cpus: 4 });
    const failed = await s.waitForStatus(cpus, 'FAILED');
    expect(failed.error_type).toBe('JOB_UNSCHEDULABLE');
    expect(failed.message).toBe(
      'Job can never start on this node: 4 CPUs requested, this node has 1.',
    );

    const custom = await s.submit({ entrypoint: 'true', entrypoint_resources: { tpu: 1 } });
    expect((await s.waitForStatus(custom, 'FAILED')).message).toContain("resource 'tpu'");
    const gpu = await s.submit({ entrypoint: 'true', entrypoint_num_gpus: 1 });
    expect((await s.waitForStatus(gpu, 'FAILED')).message).toContain('GPUs requested');
  });

  it('fails a job PENDING longer than the start timeout, leaving the running one alone', async () => {
    const s = await oneCpuServer({ startTimeoutMs: 800 });
    await s.submit({
      entrypoint: gatedJob(s, 'holder'),
      submission_id: 'holder',
      entrypoint_num_cpus: 1,
    });
    await s.waitForStatus('holder', 'RUNNING');
    await s.submit({ entrypoint: 'true', submission_id: 'starved', entrypoint_num_cpus: 1 });
    const timedOut = await s.waitForStatus('starved', 'FAILED');
    expect(timedOut.error_type).toBe('JOB_START_TIMEOUT');
    expect(timedOut.message).toMatch(/within the start timeout/);
    expect((await s.getJob('holder')).status).toBe('RUNNING');
  });

  it('stops a queued job without starting it', async () => {
    const s = await oneCpuServer();
    await s.submit({
      entrypoint: gatedJob(s, 'first'),
      submission_id: 'first',
      entrypoint_num_cpus: 1,
    });
    await s.waitForStatus('first', 'RUNNING');
    await s.submit({
      entrypoint: gatedJob(s, 'queued'),
      submission_id: 'queued',
      entrypoint_num_cpus: 1,
    });
    const res = await s.http.post('/api/jobs/queued/stop').expect(200);
    expect(res.body).toBe(true);
    const stopped = await s.waitForStatus('queued', 'STOPPED');
    expect(stopped.message).toBe('Job was stopped before it started.');
    expect(stopped.driver_info.pid).toBe('');
    open(s, 'first');
    await s.waitForStatus('first', 'SUCCEEDED');
    expect(readFileSync(join(s.dataDir, 'order'), 'utf8')).toBe('first\n');
  });

  it('tells the driver what it was given, GPUs by index', async () => {
    const s = await oneCpuServer({ gpus: 2 });
    const report = 'echo "$JOBS_NUM_CPUS $JOBS_NUM_GPUS $CUDA_VISIBLE_DEVICES $JOBS_RESOURCES"';
    await s.submit({
      entrypoint: `${report}; ${gatedJob(s, 'one')}`,
      submission_id: 'one',
      entrypoint_num_cpus: 0.5,
      entrypoint_num_gpus: 1,
      entrypoint_resources: { widget: 1 },
    });
    await s.waitForStatus('one', 'RUNNING');
    await s.submit({ entrypoint: report, submission_id: 'two', entrypoint_num_gpus: 1 });
    await s.waitForStatus('two', 'SUCCEEDED');
    open(s, 'one');
    await s.waitForStatus('one', 'SUCCEEDED');
    const logOf = async (id: string) =>
      ((await s.http.get(`/api/jobs/${id}/logs`)).body as { logs: string }).logs;
    expect(await logOf('one')).toBe('0.5 1 0 {"widget":1}\n');
    expect(await logOf('two')).toBe('0 1 1 {}\n');
  });

  it('starts a job that cannot delay the blocked head ahead of it, and never starves the head', async () => {
    const s = await oneCpuServer();
    await s.submit({ entrypoint: gatedJob(s, 'a'), submission_id: 'a', entrypoint_num_cpus: 1 });
    await waitForStarted(s, 'a');
    // The head waits for the CPU; a job that needs no CPU starts past it, one that needs the CPU
    // (or the widget the head also wants beyond what would be left) waits behind it.
    await s.submit({
      entrypoint: gatedJob(s, 'head'),
      submission_id: 'head',
      entrypoint_num_cpus: 1,
      entrypoint_resources: { widget: 1 },
    });
    await s.submit({ entrypoint: gatedJob(s, 'free'), submission_id: 'free' });
    await s.submit({
      entrypoint: gatedJob(s, 'cpu'),
      submission_id: 'cpu',
      entrypoint_num_cpus: 1,
    });
    await s.submit({
      entrypoint: gatedJob(s, 'widgets'),
      submission_id: 'widgets',
      entrypoint_resources: { widget: 2 },
    });
    await waitForStarted(s, 'free');
    expect((await s.getJob('head')).message).toBe(
      'Job is waiting for resources: it needs 1 CPU, 1 widget. It is 1st in the queue.',
    );
    expect((await s.getJob('cpu')).message).toBe(
      'Job is waiting for resources: it needs 1 CPU. It is 2nd in the queue.',
    );
    expect((await s.getJob('widgets')).message).toBe(
      'Job is waiting for the job at the head of the queue: what it needs (2 widget) would delay that job. It is 3rd in the queue.',
    );

    open(s, 'a');
    await s.waitForStatus('head', 'RUNNING');
    expect((await s.getJob('cpu')).status).toBe('PENDING');
    expect((await s.getJob('widgets')).status).toBe('PENDING');
    for (const name of ['head', 'free', 'cpu', 'widgets']) open(s, name);
    await s.waitForStatus('widgets', 'SUCCEEDED');
    await s.waitForStatus('cpu', 'SUCCEEDED');
    expect(readFileSync(join(s.dataDir, 'order'), 'utf8').split('\n').slice(0, 3)).toEqual([
      'a',
      'free',
      'head',
    ]);
  });

  it('keeps submission order only, with --queue-policy strict', async () => {
    const s = await oneCpuServer({ queuePolicy: 'strict' });
    await s.submit({ entrypoint: gatedJob(s, 'a'), submission_id: 'a', entrypoint_num_cpus: 1 });
    await s.waitForStatus('a', 'RUNNING');
    await s.submit({
      entrypoint: gatedJob(s, 'head'),
      submission_id: 'head',
      entrypoint_num_cpus: 1,
    });
    await s.submit({ entrypoint: gatedJob(s, 'free'), submission_id: 'free' });
    await waitFor('the free job to be told why it waits', async () => {
      const { message } = await s.getJob('free');
      return message.includes('strict') ? message : undefined;
    });
    expect((await s.getJob('free')).message).toBe(
      'Job is waiting for the jobs ahead of it to start (strict order). It is 2nd in the queue.',
    );
    open(s, 'a');
    await s.waitForStatus('free', 'RUNNING');
    expect((await s.getJob('head')).status).toBe('RUNNING');
    for (const name of ['head', 'free']) open(s, name);
    await s.waitForStatus('free', 'SUCCEEDED');
  });
});
