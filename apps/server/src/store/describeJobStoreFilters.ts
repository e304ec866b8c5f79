import { type JobListFilter, jobMatchesFilter, jobStatuses } from '@jobs/contract';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { JobRecord } from '../domain/jobRecord.js';
import { toJobDetails } from '../jobs/toJobDetails.js';
import type { ListPosition } from './jobQueries.js';
import { bringToStatus } from './bringToStatus.js';
import type { JobStore } from './jobStore.js';
import { unpagedJson } from './unpagedJson.js';

/** Letters whose case folding differs between ASCII-only and full Unicode, and LIKE's wildcards. */
const textChars = ['a', 'A', 'b', 'B', 'i', 'I', 'é', 'É', 'ß', 'İ', 'ı', '%', '_', '\\', ' ', '-'];
/** Characters SQL quoting is about: quotes, a backslash, a parameter's `$1`. */
const quotingChars = ["'", '"', '\\', '$', '1'];
const startTimes = [1_000, 2_000, 3_000, 4_000];
const metadataKeys = ['team', 'Team', 'k é', "it's"];
const metadataValues = ['ml', 'ML', 'é', '', "o'k \\ $1"];

const text = (max: number) =>
  fc
    .array(fc.constantFrom(...textChars, ...quotingChars), { minLength: 1, maxLength: max })
    .map((c) => c.join(''));

const jobShape = fc.record({
  idText: fc
    .array(fc.constantFrom('a', 'A', 'b', 'B', 'i', 'I', '-', '_', '.'), { maxLength: 6 })
    .map((c) => c.join('')),
  entrypoint: text(12),
  startTime: fc.constantFrom(...startTimes),
  metadata: fc.dictionary(fc.constantFrom(...metadataKeys), fc.constantFrom(...metadataValues), {
    maxKeys: 2,
  }),
  status: fc.constantFrom(...jobStatuses),
});

/** Filters over the stored jobs: text often taken from a job, with its case changed. */
function filterOf(jobs: readonly JobRecord[]): fc.Arbitrary<JobListFilter> {
  const fromJob = fc
    .tuple(fc.constantFrom(...jobs), fc.boolean(), fc.nat(), fc.integer({ min: 1, max: 4 }))
    .map(([job, fromId, start, length]) => {
      const source = fromId ? job.submissionId : job.entrypoint;
      const at = start % Math.max(1, source.length);
      return source.slice(at, at + length) || source;
    })
    .chain((part) => fc.constantFrom(part, part.toUpperCase(), part.toLowerCase()))
    .filter((part) => part !== '');
  return fc.record(
    {
      statuses: fc.subarray([...jobStatuses]),
      metadata: fc.dictionary(
        fc.constantFrom(...metadataKeys),
        fc.constantFrom(...metadataValues),
        { maxKeys: 2 },
      ),
      submittedAfter: fc.constantFrom(...startTimes.flatMap((t) => [t - 1, t])),
      submittedBefore: fc.constantFrom(...startTimes.flatMap((t) => [t, t + 1])),
      text: fc.oneof(fromJob, text(4)),
    },
    { requiredKeys: [] },
  );
}

/** Every job `filter` selects, through pages of `limit`. */
async function listAll(
  store: JobStore,
  filter: JobListFilter,
  limit: number,
): Promise<JobRecord[]> {
  const jobs: JobRecord[] = [];
  let after: ListPosition | undefined;
  for (;;) {
    const page = await store.queries.listPage(filter, { order: 'newest', after, limit });
    expect(page.jobs.length).toBeLessThanOrEqual(limit);
    jobs.push(...page.jobs);
    if (page.next === undefined) return jobs;
    after = page.next;
  }
}

/** The list filters, cursor and summary, checked against jobMatchesFilter of @jobs/contract. */
export function describeJobStoreFilters(fresh: () => Promise<JobStore>): void {
  it('lists, pages and counts exactly what jobMatchesFilter selects (property)', async () => {
    const store = await fresh();
    const shapes = fc.sample(jobShape, 150);
    for (const [index, shape] of shapes.entries()) {
      const { submissionId } = await store.insert({
        submissionId: `${shape.idText}${index}`,
        entrypoint: shape.entrypoint,
        message: 'Queued.',
        startTime: shape.startTime,
        metadata: shape.metadata,
        runtimeEnv: {},
        resources: {},
        nodeId: 'n',
        requestDigest: '',
      });
      await bringToStatus(store, submissionId, shape.status);
    }
    const all = await listAll(store, {}, 1_000);
    expect(all).toHaveLength(shapes.length);
    await fc.assert(
      fc.asyncProperty(
        filterOf(all),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 200 }),
        async (filter, limit, scanLimit) => {
          const expected = all.filter((job) => jobMatchesFilter(toJobDetails(job), filter));
          const listed = await listAll(store, filter, limit);
          expect(listed.map((job) => job.submissionId)).toEqual(
            expected.map((job) => job.submissionId),
          );
          const unpaged = await unpagedJson(store.queries, filter, 'newest');
          expect(unpaged).toEqual(expected.map((job) => JSON.stringify(toJobDetails(job))));
          const exact = await store.queries.countByStatus(filter, all.length + 1);
          expect(exact.capped).toBe(false);
          for (const status of jobStatuses) {
            expect(exact.byStatus[status]).toBe(
              expected.filter((job) => job.status === status).length,
            );
          }
          // A smaller limit may cap the count: then every count is a lower bound, and at most
          // the limit were read; uncapped, it is exact.
          const bounded = await store.queries.countByStatus(filter, scanLimit);
          if (bounded.capped) {
            const read = Object.values(bounded.byStatus).reduce((sum, n) => sum + n, 0);
            expect(read).toBeLessThanOrEqual(scanLimit);
            for (const status of jobStatuses) {
              expect(bounded.byStatus[status]).toBeLessThanOrEqual(exact.byStatus[status]);
            }
          } else {
            expect(bounded.byStatus).toEqual(exact.byStatus);
          }
          const searchLed =
            filter.text !== undefined &&
            Object.keys(filter.metadata ?? {}).length === 0 &&
            filter.submittedAfter === undefined &&
            filter.submittedBefore === undefined;
          if (searchLed) {
            // q is tested on the scanLimit newest jobs, however many older ones it would match.
            const examined = all
              .slice(0, scanLimit)
              .filter((job) => jobMatchesFilter(toJobDetails(job), filter));
            expect(bounded.capped).toBe(all.length >= scanLimit);
            for (const status of jobStatuses) {
              expect(bounded.byStatus[status]).toBe(
                examined.filter((job) => job.status === status).length,
              );
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('pages by position: jobs submitted while a client pages never shift its pages', async () => {
    const store = await fresh();
    const job = (n: number) => ({
      submissionId: `paged-${n}`,
      entrypoint: 'true',
      message: '',
      startTime: n,
      metadata: {},
      runtimeEnv: {},
      resources: {},
      nodeId: 'n',
      requestDigest: '',
    });
    for (let n = 0; n < 10; n++) await store.insert(job(n));
    const first = await store.queries.listPage({}, { order: 'newest', limit: 4 });
    expect(first.jobs.map((j) => j.startTime)).toEqual([9, 8, 7, 6]);
    for (let n = 10; n < 15; n++) await store.insert(job(n));
    const second = await store.queries.listPage(
      {},
      { order: 'newest', after: first.next, limit: 4 },
    );
    const third = await store.queries.listPage(
      {},
      { order: 'newest', after: second.next, limit: 4 },
    );
    expect([...second.jobs, ...third.jobs].map((j) => j.startTime)).toEqual([5, 4, 3, 2, 1, 0]);
    expect(third.next).toBeUndefined();
    // The unpaged list from the same position goes on the same way.
    const rest = await unpagedJson(store.queries, {}, 'newest', first.next);
    expect(
      rest.map((item) => (JSON.parse(item) as { submission_id: string }).submission_id),
    ).toEqual([...second.jobs, ...third.jobs].map((j) => j.submissionId));
  });
}
