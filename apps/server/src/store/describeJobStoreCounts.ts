import { type JobStatus, jobStatuses } from '@jobs/contract';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { JobAlreadyExistsError } from '../errors.js';
import type { JobStore } from './jobStore.js';
import { zeroCounts } from './statusCounts.js';

/** Few ids, so that concurrent steps often meet on the same job. */
const ids = ['c-0', 'c-1', 'c-2', 'c-3', 'c-4', 'c-5'];
const endings = ['SUCCEEDED', 'FAILED', 'STOPPED'] as const;

type Step =
  | { kind: 'insert' | 'run' | 'delete' | 'stop' | 'message' | 'attach'; id: string }
  | { kind: 'finish'; id: string; status: (typeof endings)[number] };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('insert', 'run', 'delete', 'stop', 'message', 'attach' as const),
    id: fc.constantFrom(...ids),
  }),
  fc.record({
    kind: fc.constant('finish' as const),
    id: fc.constantFrom(...ids),
    status: fc.constantFrom(...endings),
  }),
);

const driver = { ref: '7:1', id: 'd', pid: '7', nodeIp: '10.0.0.1', nodeId: '' };

async function apply(store: JobStore, s: Step): Promise<void> {
  switch (s.kind) {
    case 'insert':
      await store
        .insert({
          submissionId: s.id,
          entrypoint: 'true',
          message: 'Queued.',
          startTime: 1_000,
          metadata: { team: 'ml' },
          runtimeEnv: {},
          resources: {},
          nodeId: 'n',
          requestDigest: '',
        })
        .catch((error: unknown) => {
          if (!(error instanceof JobAlreadyExistsError)) throw error;
        });
      return;
    case 'run':
      await store.markRunning(s.id, driver, 'Running.');
      return;
    case 'finish':
      await store.finish(s.id, {
        status: s.status,
        message: `Ended ${s.status}.`,
        exitCode: 1,
        errorType: '',
        endTime: 2_000,
      });
      return;
    case 'delete':
      await store.deleteFinished(s.id);
      return;
    case 'stop':
      await store.requestStop(s.id, 'Stop asked.');
      return;
    case 'message':
      await store.setPendingMessage(s.id, 'Waiting.');
      return;
    case 'attach':
      await store.attachDriver(s.id, driver);
  }
}

/** Jobs per status, counted one job at a time. */
async function fullCount(store: JobStore): Promise<Record<JobStatus, number>> {
  const counts = zeroCounts();
  const { jobs, next } = await store.queries.listPage({}, { order: 'newest', limit: 1_000 });
  expect(next).toBeUndefined();
  for (const job of jobs) counts[job.status] += 1;
  return counts;
}

/** The maintained per-status counts behind the summary and the metrics. */
export function describeJobStoreCounts(fresh: () => Promise<JobStore>): void {
  it('keeps its per-status counts equal to a full count through concurrent changes (property)', async () => {
    const store = await fresh();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(step, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }),
        fc.subarray([...jobStatuses]),
        async (rounds, statuses) => {
          for (const round of rounds) {
            // One round's steps run at once: racing changes of one job, as the runner, a stop
            // and the retention sweep make them.
            await Promise.all(round.map((s) => apply(store, s)));
            const expected = await fullCount(store);
            expect(await store.countByStatus()).toEqual(expected);
            const summary = await store.queries.countByStatus({}, 1);
            expect(summary).toEqual({ byStatus: expected, capped: false });
            const some = await store.queries.countByStatus({ statuses }, 1);
            // Every job has the metadata, so its summary is the status-only one, read from
            // the metadata index rather than the maintained counts.
            const tagged = await store.queries.countByStatus(
              { metadata: { team: 'ml' }, statuses },
              1_000,
            );
            expect(tagged).toEqual({ byStatus: some.byStatus, capped: false });
            for (const status of jobStatuses) {
              expect(some.byStatus[status]).toBe(statuses.includes(status) ? expected[status] : 0);
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });
}
