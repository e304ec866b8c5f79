import {
  type JobListFilter,
  type JobListOrder,
  type JobStatus,
  jobListOrders,
  jobMatchesFilter,
  jobStatuses,
} from '@jobs/contract';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { JobRecord } from '../domain/jobRecord.js';
import { toJobDetails } from '../jobs/toJobDetails.js';
import type { JobFilter, ListPosition } from './jobQueries.js';
import { bringToStatus } from './bringToStatus.js';
import type { JobStore } from './jobStore.js';
import { unpagedJson } from './unpagedJson.js';

/** Few durations, so ties are common and the position has to break them. */
const durations = [0, 5, 10, 10_000];

const jobShape = fc.record({
  gap: fc.constantFrom(0, 1, 7),
  status: fc.constantFrom(...jobStatuses),
  duration: fc.constantFrom(...durations),
  team: fc.constantFrom('ml', 'web', undefined),
});

/** A stored job and its place in submission order. */
interface Placed {
  index: number;
  job: JobRecord;
}

const runDuration = ({ job }: Placed) =>
  job.endTime === null ? undefined : job.endTime - job.startTime;

/** What every order means (see jobListOrders of @jobs/contract), over jobs in submission order. */
function sortedIn(jobs: readonly Placed[], order: JobListOrder): Placed[] {
  const newestFirst = (a: Placed, b: Placed) => b.index - a.index;
  if (order === 'newest') return [...jobs].sort(newestFirst);
  if (order === 'oldest') return [...jobs].sort((a, b) => a.index - b.index);
  const sign = order === 'longest' ? -1 : 1;
  return [...jobs].sort((a, b) => {
    const da = runDuration(a);
    const db = runDuration(b);
    if (da === undefined || db === undefined) {
      if (da !== undefined) return -1;
      if (db !== undefined) return 1;
      return newestFirst(a, b);
    }
    return sign * (da - db || a.index - b.index);
  });
}

/** Every job of `filter` in `order`, through pages of `limit`, as records and as JSON. */
async function walk(
  store: JobStore,
  filter: JobFilter,
  order: JobListOrder,
  limit: number,
): Promise<{ ids: string[]; jsonIds: string[] }> {
  const ids: string[] = [];
  let after: ListPosition | undefined;
  do {
    const page = await store.queries.listPage(filter, { order, after, limit });
    expect(page.jobs.length).toBe(page.next === undefined ? page.jobs.length : limit);
    ids.push(...page.jobs.map((job) => job.submissionId));
    after = page.next;
  } while (after !== undefined);
  const jsonIds = (await unpagedJson(store.queries, filter, order)).map(
    (item) => (JSON.parse(item) as { submission_id: string }).submission_id,
  );
  return { ids, jsonIds };
}

/** The list orders, checked against an in-memory sort, page by page, with and without filters. */
export function describeJobStoreOrder(fresh: () => Promise<JobStore>): void {
  it('lists every order as an in-memory sort does, across pages of any size (property)', async () => {
    const jobStore = await fresh();
    const shapes = fc.sample(jobShape, 60);
    const placed: Placed[] = [];
    let startTime = 1_000_000;
    for (const [index, shape] of shapes.entries()) {
      startTime += shape.gap;
      const { submissionId } = await jobStore.insert({
        submissionId: `ordered-${String(index)}`,
        entrypoint: 'true',
        message: 'Queued.',
        startTime,
        metadata: shape.team === undefined ? {} : { team: shape.team },
        runtimeEnv: {},
        resources: {},
        nodeId: 'n',
        requestDigest: '',
      });
      await bringToStatus(jobStore, submissionId, shape.status, startTime + shape.duration);
      const job = await jobStore.get(submissionId);
      if (job === undefined) throw new Error(`${submissionId} is gone`);
      placed.push({ index, job });
    }
    const filters = fc.record(
      {
        statuses: fc.subarray([...jobStatuses], { minLength: 1 }),
        metadata: fc.constantFrom({ team: 'ml' }, { team: 'web' }),
        text: fc.constantFrom('ordered-1', 'red-2'),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(
        filters,
        fc.constantFrom(...jobListOrders),
        fc.integer({ min: 1, max: 9 }),
        async (filter: JobListFilter, order, limit) => {
          const expected = sortedIn(
            placed.filter(({ job }) => jobMatchesFilter(toJobDetails(job), filter)),
            order,
          ).map(({ job }) => job.submissionId);
          const { ids, jsonIds } = await walk(jobStore, filter, order, limit);
          expect(ids).toEqual(expected);
          expect(jsonIds).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('continues a duration order from the ended jobs into those not ended', async () => {
    const jobStore = await fresh();
    const add = async (n: number, status: JobStatus, duration: number) => {
      const { submissionId } = await jobStore.insert({
        submissionId: `mixed-${String(n)}`,
        entrypoint: 'true',
        message: '',
        startTime: 1_000 + n,
        metadata: {},
        runtimeEnv: {},
        resources: {},
        nodeId: 'n',
        requestDigest: '',
      });
      await bringToStatus(jobStore, submissionId, status, 1_000 + n + duration);
    };
    await add(0, 'RUNNING', 0);
    await add(1, 'SUCCEEDED', 30);
    await add(2, 'PENDING', 0);
    await add(3, 'FAILED', 10);
    const first = await jobStore.queries.listPage({}, { order: 'longest', limit: 3 });
    expect(first.jobs.map((job) => job.submissionId)).toEqual(['mixed-1', 'mixed-3', 'mixed-2']);
    // The last job of the page had not ended: its position says so, with no duration.
    expect(first.next).toMatchObject({ duration: null });
    const second = await jobStore.queries.listPage(
      {},
      { order: 'longest', after: first.next, limit: 3 },
    );
    expect(second.jobs.map((job) => job.submissionId)).toEqual(['mixed-0']);
    expect(second.next).toBeUndefined();
    const shortest = await walk(jobStore, {}, 'shortest', 1);
    expect(shortest.ids).toEqual(['mixed-3', 'mixed-1', 'mixed-2', 'mixed-0']);
  });
}
