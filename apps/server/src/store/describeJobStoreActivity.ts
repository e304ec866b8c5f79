import type { JobListFilter, JobStatus } from '@jobs/contract';
import { expect, it, vi } from 'vitest';
import type { JobTimes } from './jobQueries.js';
import type { JobStore } from './jobStore.js';

const driver = { ref: '7:1', id: 'd', pid: '7', nodeIp: '10.0.0.1', nodeId: '' };

/** Submitted at `startTime`, then taken to `status` (ended jobs end 500 ms later). */
async function addJob(
  store: JobStore,
  id: string,
  startTime: number,
  status: JobStatus,
  metadata: Record<string, string>,
): Promise<void> {
  await store.insert({
    submissionId: id,
    entrypoint: `run ${id}`,
    message: 'Queued.',
    startTime,
    metadata,
    runtimeEnv: {},
    resources: {},
    nodeId: 'n',
    requestDigest: '',
  });
  if (status === 'PENDING') return;
  await store.markRunning(id, driver, 'Running.');
  if (status === 'RUNNING') return;
  await store.finish(id, {
    status,
    message: `Ended ${status}.`,
    exitCode: 0,
    errorType: '',
    endTime: startTime + 500,
  });
}

const byStart = (a: JobTimes, b: JobTimes) => a.startTime - b.startTime;

/** The times behind the activity chart, read with the filters and the bound of a summary. */
export function describeJobStoreActivity(fresh: () => Promise<JobStore>): void {
  it('reads the times and statuses of the jobs a filter selects, within the scan limit', async () => {
    const store = await fresh();
    const statuses: JobStatus[] = ['SUCCEEDED', 'FAILED', 'STOPPED', 'RUNNING', 'PENDING'];
    const all: JobTimes[] = [];
    for (let i = 0; i < 10; i++) {
      const status = statuses[i % statuses.length] ?? 'SUCCEEDED';
      const startTime = 1_000 * (i + 1);
      await addJob(store, `t-${i}`, startTime, status, { team: i % 2 === 0 ? 'ml' : 'data' });
      const ended = status !== 'RUNNING' && status !== 'PENDING';
      all.push({ startTime, endTime: ended ? startTime + 500 : null, status });
    }
    const read = async (filter: JobListFilter, scanLimit = 100) => {
      const result = await store.queries.jobTimes(filter, scanLimit);
      return { jobs: [...result.jobs].sort(byStart), capped: result.capped };
    };

    expect(await read({})).toEqual({ jobs: all, capped: false });
    expect(await read({ metadata: { team: 'ml' } })).toEqual({
      jobs: all.filter((_, i) => i % 2 === 0),
      capped: false,
    });
    expect(await read({ statuses: ['FAILED', 'RUNNING'] })).toEqual({
      jobs: all.filter((job) => job.status === 'FAILED' || job.status === 'RUNNING'),
      capped: false,
    });
    expect(await read({ submittedAfter: 3_000, submittedBefore: 6_000, text: 'T-' })).toEqual({
      jobs: all.filter((job) => job.startTime > 3_000 && job.startTime < 6_000),
      capped: false,
    });
    // At most the limit of candidates are read, newest first, and the answer says so.
    expect(await read({}, 4)).toEqual({ jobs: all.slice(-4), capped: true });
    const ml = await read({ metadata: { team: 'ml' }, statuses: ['SUCCEEDED'] }, 3);
    expect(ml.capped).toBe(true);
    expect(ml.jobs.every((job) => job.status === 'SUCCEEDED')).toBe(true);
    expect(await read({ text: 'no such job' })).toEqual({ jobs: [], capped: false });
  });

  it('records when a job started running, apart from its submission and end', async () => {
    const store = await fresh();
    await addJob(store, 'timed', 1_000, 'PENDING', {});
    expect(await store.queries.jobTiming('timed')).toEqual({
      startTime: 1_000,
      runningSince: null,
      endTime: null,
    });
    // The server's clock, the one start_time and end_time come from, set far from the
    // database's: a time read from the database would not be this one.
    const serverNow = Date.UTC(2091, 4, 6, 7, 8, 9, 123);
    vi.useFakeTimers({ toFake: ['Date'], now: serverNow });
    try {
      await store.markRunning('timed', driver, 'Running.');
    } finally {
      vi.useRealTimers();
    }
    const running = await store.queries.jobTiming('timed');
    expect(running?.runningSince).toBe(serverNow);
    await store.finish('timed', {
      status: 'SUCCEEDED',
      message: 'Done.',
      exitCode: 0,
      errorType: '',
      endTime: serverNow + 5_000,
    });
    expect(await store.queries.jobTiming('timed')).toEqual({
      startTime: 1_000,
      runningSince: running?.runningSince,
      endTime: serverNow + 5_000,
    });
    expect(await store.queries.jobTiming('no-such-job')).toBeUndefined();
  });
}
