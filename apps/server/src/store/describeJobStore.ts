import { afterEach, describe, expect, it } from 'vitest';
import { JobAlreadyExistsError } from '../errors.js';
import { followJobEvents, type JobEventsItem } from '../jobs/followJobEvents.js';
import type { JobDriver, JobOutcome, NewJob } from '../domain/jobRecord.js';
import { toJobDetails } from '../jobs/toJobDetails.js';
import { waitFor } from '../testing/waitFor.js';
import { describeJobStoreFilters } from './describeJobStoreFilters.js';
import { describeJobStoreOrder } from './describeJobStoreOrder.js';
import { describeJobStoreActivity } from './describeJobStoreActivity.js';
import { describeJobStoreCounts } from './describeJobStoreCounts.js';
import type { JobStore } from './jobStore.js';
import { unpagedJson } from './unpagedJson.js';

/** A fresh, empty store of one backend, and how to get rid of it. */
export interface StoreUnderTest {
  store: JobStore;
  dispose(): Promise<void>;
}

export type OpenStore = () => Promise<StoreUnderTest>;

let counter = 0;

export function newJob(overrides: Partial<NewJob> = {}): NewJob {
  counter += 1;
  return {
    submissionId: `job-${counter}`,
    entrypoint: 'echo hi',
    message: 'Job has not started yet.',
    startTime: 1_700_000_000_000 + counter,
    metadata: { team: 'ml', 'key with space': 'välue' },
    runtimeEnv: {
      env_vars: { A: '1' },
      pip: ['numpy==1.24'],
      config: { setup_timeout_seconds: 1.5 },
    },
    resources: { numCpus: 0.5, custom: { tpu: 1 } },
    nodeId: 'node-1',
    requestDigest: `digest-${counter}`,
    ...overrides,
  };
}

export const succeeded = (endTime: number): JobOutcome => ({
  status: 'SUCCEEDED',
  message: 'Job finished successfully.',
  exitCode: 0,
  errorType: '',
  endTime,
});

export const driver: JobDriver = {
  ref: '4242:123456',
  id: 'driver-7',
  pid: '4242',
  nodeIp: '10.0.0.5',
  nodeId: 'node-7',
};
const RUNNING = 'Job is running.';

/**
 * The meaning of JobStore and JobQueries, once, for every backend: `open` gives a fresh empty
 * store for each test.
 */
export function describeJobStore(backend: string, open: OpenStore): void {
  describe(`JobStore contract: ${backend}`, () => {
    let current: StoreUnderTest | undefined;
    const fresh = async () => {
      current = await open();
      return current.store;
    };
    afterEach(async () => {
      await current?.dispose();
      current = undefined;
    });

    it('keeps a submitted job exactly, PENDING, and nothing for an unknown id', async () => {
      const store = await fresh();
      const job = newJob({ metadata: { b: '2', a: '1', ünï: 'cödé' } });
      const record = await store.insert(job);
      expect(record).toEqual({
        ...job,
        status: 'PENDING',
        endTime: null,
        driver: null,
        exitCode: null,
        errorType: '',
        stopMessage: null,
      });
      expect(await store.get(job.submissionId)).toEqual(record);
      expect(Object.keys(record.metadata)).toEqual(['b', 'a', 'ünï']);
      expect(await store.get('missing')).toBeUndefined();
    });

    it('refuses a taken id with JobAlreadyExistsError and keeps the first request', async () => {
      const store = await fresh();
      const first = await store.insert(newJob({ submissionId: 'same', requestDigest: 'first' }));
      const { lastEventId } = await store.queries.version();
      await expect(
        store.insert(newJob({ submissionId: 'same', requestDigest: 'second' })),
      ).rejects.toBeInstanceOf(JobAlreadyExistsError);
      // The retry is told apart by the stored digest; the refused insert recorded nothing.
      expect(await store.get('same')).toEqual(first);
      expect((await store.queries.version()).lastEventId).toBe(lastEventId);
    });

    it('moves PENDING -> RUNNING -> terminal once, and never overwrites a terminal status', async () => {
      const store = await fresh();
      const { submissionId: id } = await store.insert(newJob());
      expect(await store.setPendingMessage(id, 'Waiting for 1 CPU.')).toBe(true);
      expect((await store.get(id))?.message).toBe('Waiting for 1 CPU.');
      expect(await store.markRunning(id, driver, RUNNING)).toBe(true);
      expect(await store.markRunning(id, { ...driver, pid: '1' }, 'again')).toBe(false);
      expect(await store.setPendingMessage(id, 'late')).toBe(false);
      const running = await store.get(id);
      expect(running).toMatchObject({ status: 'RUNNING', driver, message: RUNNING });
      const moved = { ...driver, nodeIp: '10.0.0.6', nodeId: 'node-8' };
      expect(await store.attachDriver(id, moved)).toBe(true);
      expect(await store.get(id)).toEqual({ ...running, driver: moved });
      expect(await store.requestStop(id, 'Stopped by request.')).toBe(true);
      expect(await store.finish(id, succeeded(1_800_000_000_000))).toBe(true);
      const ended = await store.get(id);
      expect(ended).toMatchObject({
        status: 'SUCCEEDED',
        exitCode: 0,
        endTime: 1_800_000_000_000,
        stopMessage: 'Stopped by request.',
      });
      const failed: JobOutcome = {
        status: 'FAILED',
        message: 'x',
        exitCode: 3,
        errorType: 'JOB_ENTRYPOINT_COMMAND_ERROR',
        endTime: 1,
      };
      expect(await store.finish(id, failed)).toBe(false);
      expect(await store.markRunning(id, driver, RUNNING)).toBe(false);
      expect(await store.attachDriver(id, driver)).toBe(false);
      expect(await store.requestStop(id, 'again')).toBe(false);
      expect(await store.get(id)).toEqual(ended);
      expect(await store.finish('missing', failed)).toBe(false);
    });

    it('lists active jobs in submission order and counts every status', async () => {
      const store = await fresh();
      const a = await store.insert(newJob());
      const b = await store.insert(newJob());
      const c = await store.insert(newJob());
      await store.markRunning(b.submissionId, driver, RUNNING);
      await store.finish(a.submissionId, succeeded(5));
      expect((await store.listActive()).map((job) => job.submissionId)).toEqual([
        b.submissionId,
        c.submissionId,
      ]);
      expect(await store.countByStatus()).toEqual({
        PENDING: 1,
        RUNNING: 1,
        SUCCEEDED: 1,
        FAILED: 0,
        STOPPED: 0,
      });
      await store.checkWritable();
      await store.checkIntegrity();
    });

    it('finds finished jobs by age for retention and deletes only finished ones', async () => {
      const store = await fresh();
      const jobs = await Promise.all([1, 2, 3, 4].map(() => store.insert(newJob())));
      const [a, b, c, d] = jobs.map((job) => job.submissionId) as [string, string, string, string];
      await store.finish(c, succeeded(100));
      await store.finish(a, succeeded(300));
      await store.finish(b, succeeded(200));
      expect(await store.listFinishedBefore(301, 10)).toEqual([c, b, a]);
      expect(await store.listFinishedBefore(300, 10)).toEqual([c, b]);
      expect(await store.listFinishedBefore(1_000, 1)).toEqual([c]);
      expect(await store.deleteFinished(d)).toBe(false);
      expect(await store.get(d)).toBeDefined();
      expect(await store.deleteFinished(c)).toBe(true);
      expect(await store.get(c)).toBeUndefined();
      expect(await store.deleteFinished(c)).toBe(false);
      expect(await store.deleteFinished('missing')).toBe(false);
    });

    it('records every change in the same order as committed, with the job after it', async () => {
      const store = await fresh();
      const { queries } = store;
      const before = await queries.version();
      expect(before.lastEventId).toBe(0);
      expect(before.storeId).toMatch(/\S/);
      const id = (await store.insert(newJob())).submissionId;
      await store.setPendingMessage(id, 'Waiting.');
      await store.markRunning(id, driver, RUNNING);
      await store.finish(id, succeeded(9));
      await store.deleteFinished(id);
      const events = await queries.eventsAfter(0, 100);
      expect(events.map((event) => [event.id, event.type, event.job.status])).toEqual([
        [1, 'created', 'PENDING'],
        [2, 'updated', 'PENDING'],
        [3, 'status_changed', 'RUNNING'],
        [4, 'status_changed', 'SUCCEEDED'],
        [5, 'deleted', 'SUCCEEDED'],
      ]);
      expect(events[2]?.job).toMatchObject({ driver, message: RUNNING });
      expect(events[4]?.job).toEqual(events[3]?.job);
      expect(await queries.eventsAfter(3, 1)).toEqual([events[3]]);
      expect(await queries.version()).toEqual({ storeId: before.storeId, lastEventId: 5 });
      expect(await queries.eventBounds()).toEqual({ oldest: 1, latest: 5 });
    });

    it('tells a new version after every kind of write, each read right after it', async () => {
      const store = await fresh();
      const { queries } = store;
      const seen = [(await queries.version()).lastEventId];
      const read = async () => {
        // Read twice: a version kept from before the write must not be the answer.
        await queries.version();
        seen.push((await queries.version()).lastEventId);
      };
      const id = (await store.insert(newJob())).submissionId;
      await read();
      await store.setPendingMessage(id, 'Waiting.');
      await read();
      await store.requestStop(id, 'Stopped by request.');
      await read();
      await store.markRunning(id, driver, RUNNING);
      await read();
      await store.finish(id, succeeded(0));
      await read();
      await store.deleteFinished(id);
      await read();
      expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
    });

    it('tells each write to a version asked for after it, while other reads of it run', async () => {
      const store = await fresh();
      const { queries } = store;
      let reading = true;
      // Keeps a version read in flight nearly all the time, as a crowd of page reads does; each
      // turn gives the writes their turn of the event loop.
      const crowd = Promise.all(
        Array.from({ length: 4 }, async () => {
          while (reading) {
            await queries.version();
            await new Promise((resolve) => setImmediate(resolve));
          }
        }),
      );
      try {
        for (let written = 1; written <= 20; written++) {
          await store.insert(newJob());
          expect((await queries.version()).lastEventId).toBe(written);
        }
      } finally {
        reading = false;
        await crowd;
      }
    });

    it('gives concurrent changes consecutive ids in commit order', async () => {
      const store = await fresh();
      const jobs = await Promise.all(Array.from({ length: 40 }, () => store.insert(newJob())));
      await Promise.all(jobs.map((job) => store.markRunning(job.submissionId, driver, RUNNING)));
      const events = await store.queries.eventsAfter(0, 1_000);
      expect(events.map((event) => event.id)).toEqual(
        Array.from({ length: 80 }, (_, index) => index + 1),
      );
    });

    it('tells onChange listeners after each commit, until unsubscribed', async () => {
      const store = await fresh();
      let calls = 0;
      const unsubscribe = store.queries.onChange(() => {
        calls += 1;
      });
      const { submissionId } = await store.insert(newJob());
      await waitFor('a change notice', () => (calls > 0 ? true : undefined));
      // Whoever is told reads the committed change.
      expect((await store.queries.eventsAfter(0, 10)).map((e) => e.job.submissionId)).toEqual([
        submissionId,
      ]);
      unsubscribe();
    });

    it('prunes the oldest changes, and a follower from before them starts with a reset', async () => {
      const store = await fresh();
      for (let i = 0; i < 12; i++) await store.insert(newJob());
      expect(await store.queries.pruneEvents(5)).toBe(7);
      expect(await store.queries.eventBounds()).toEqual({ oldest: 8, latest: 12 });
      expect(await store.queries.pruneEvents(5)).toBe(0);
      const items = await firstItems(store, 0, 1);
      expect(items[0]).toEqual({ kind: 'reset', latest: 12 });
      // An id past the latest (another store's) resets too; a kept id resumes right after it.
      expect((await firstItems(store, 99, 1))[0]).toEqual({ kind: 'reset', latest: 12 });
      const resumed = await firstItems(store, 9, 3);
      expect(resumed.map((item) => item.kind === 'event' && item.event.id)).toEqual([10, 11, 12]);
    });

    it('follows new changes live, none skipped or repeated', async () => {
      const store = await fresh();
      const controller = new AbortController();
      const seen: number[] = [];
      const following = (async () => {
        for await (const item of followJobEvents(store.queries, 0, controller.signal, 60_000)) {
          if (item.kind === 'event') seen.push(item.event.id);
          if (seen.length === 30) controller.abort();
        }
      })();
      for (let i = 0; i < 10; i++) {
        await Promise.all([store.insert(newJob()), store.insert(newJob()), store.insert(newJob())]);
      }
      await following;
      expect(seen).toEqual(Array.from({ length: 30 }, (_, index) => index + 1));
    });

    it('serialises a job the same as toJobDetails in the unpaged list', async () => {
      const store = await fresh();
      const pending = await store.insert(newJob({ runtimeEnv: { env_vars: { Z: 'z', A: 'a' } } }));
      const running = await store.insert(newJob());
      await store.markRunning(running.submissionId, driver, RUNNING);
      // Queued in a scheduler: a driver, not yet a node of its own (the server's is shown).
      const queued = await store.insert(newJob());
      await store.attachDriver(queued.submissionId, { ...driver, nodeIp: '', nodeId: '' });
      const ended = await store.insert(newJob());
      await store.finish(ended.submissionId, {
        status: 'FAILED',
        message: 'Job failed with exit code 3.',
        exitCode: 3,
        errorType: 'JOB_ENTRYPOINT_COMMAND_ERROR',
        endTime: 1_800_000_000_123,
      });
      const items = await unpagedJson(store.queries, {}, 'newest');
      const expected = await Promise.all(
        [ended, queued, running, pending].map(async ({ submissionId }) => {
          const stored = await store.get(submissionId);
          if (stored === undefined) throw new Error(`${submissionId} is gone`);
          return toJobDetails(stored);
        }),
      );
      expect(items.map((item) => JSON.parse(item) as unknown)).toEqual(expected);
      // Key order too, as a client printing the JSON would see it.
      expect(items.map((item) => Object.keys(JSON.parse(item) as object))).toEqual(
        expected.map((job) => Object.keys(job)),
      );
    });

    describeJobStoreFilters(fresh);
    describeJobStoreOrder(fresh);
    describeJobStoreCounts(fresh);
    describeJobStoreActivity(fresh);
  });
}

async function firstItems(
  store: JobStore,
  afterId: number,
  count: number,
): Promise<JobEventsItem[]> {
  const controller = new AbortController();
  const items: JobEventsItem[] = [];
  for await (const item of followJobEvents(store.queries, afterId, controller.signal, 60_000)) {
    items.push(item);
    if (items.length === count) controller.abort();
  }
  return items;
}
