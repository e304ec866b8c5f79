import { jobFixture as job } from '@jobs/test-support';
import { describe, expect, it } from 'vitest';
import { eventFixture as event } from '../testing/eventFixture.js';
import { emptyFilter } from './jobFilters.js';
import { type JobListState, appendPage, applyJobEvent, newerSnapshot } from './jobListState.js';

const ids = (state: JobListState) => state.jobs.map((one) => one.submission_id);

const listed: JobListState = {
  jobs: [
    job({ submission_id: 'c', start_time: '3000', status: 'RUNNING' }),
    job({ submission_id: 'b', start_time: '2000', status: 'FAILED' }),
  ],
  nextCursor: undefined,
};

describe('keeping the loaded list current from job events', () => {
  it('puts a created job first and drops a deleted one', () => {
    const created = applyJobEvent(
      listed,
      event('created', job({ submission_id: 'd', start_time: '4000', status: 'PENDING' })),
      emptyFilter,
    );
    expect(ids(created)).toEqual(['d', 'c', 'b']);
    const deleted = applyJobEvent(
      created,
      event('deleted', job({ submission_id: 'c' })),
      emptyFilter,
    );
    expect(ids(deleted)).toEqual(['d', 'b']);
    // Deleting a job that is not listed changes nothing.
    expect(applyJobEvent(deleted, event('deleted', job({ submission_id: 'x' })), emptyFilter)).toBe(
      deleted,
    );
  });

  it('replaces a job in place when it changes', () => {
    const next = applyJobEvent(
      listed,
      event('status_changed', job({ submission_id: 'c', start_time: '3000', status: 'SUCCEEDED' })),
      emptyFilter,
    );
    expect(ids(next)).toEqual(['c', 'b']);
    expect(next.jobs[0]?.status).toBe('SUCCEEDED');
  });

  it('removes a job that leaves the filter and adds one that enters it, in order', () => {
    const running = { ...emptyFilter, statuses: ['RUNNING' as const] };
    const onlyRunning: JobListState = {
      jobs: [job({ submission_id: 'c', start_time: '3000', status: 'RUNNING' })],
      nextCursor: undefined,
    };
    const left = applyJobEvent(
      onlyRunning,
      event('status_changed', job({ submission_id: 'c', start_time: '3000', status: 'FAILED' })),
      running,
    );
    expect(ids(left)).toEqual([]);
    const entered = applyJobEvent(
      {
        jobs: [job({ submission_id: 'e', start_time: '5000', status: 'RUNNING' })],
        nextCursor: undefined,
      },
      event('status_changed', job({ submission_id: 'a', start_time: '1000', status: 'RUNNING' })),
      running,
    );
    expect(ids(entered)).toEqual(['e', 'a']);
    // A created job that does not match is not listed.
    expect(
      applyJobEvent(
        onlyRunning,
        event('created', job({ submission_id: 'p', status: 'PENDING' })),
        running,
      ),
    ).toBe(onlyRunning);
  });

  it('leaves a job older than every loaded one to the pages still to come', () => {
    const partial = { ...listed, nextCursor: 'next' };
    const older = event('status_changed', job({ submission_id: 'a', start_time: '1000' }));
    expect(applyJobEvent(partial, older, emptyFilter)).toBe(partial);
    expect(ids(applyJobEvent(listed, older, emptyFilter))).toEqual(['c', 'b', 'a']);
  });

  it('never moves a job back to an earlier status when snapshots arrive out of order', () => {
    const finished = job({ submission_id: 'c', start_time: '3000', status: 'SUCCEEDED' });
    const running = job({ submission_id: 'c', start_time: '3000', status: 'RUNNING' });
    const pending = job({ submission_id: 'c', start_time: '3000', status: 'PENDING' });
    expect(newerSnapshot(finished, running)).toBe(finished);
    expect(newerSnapshot(running, pending)).toBe(running);
    expect(newerSnapshot(pending, finished)).toBe(finished);
    const message = { ...running, message: 'still going' };
    expect(newerSnapshot(running, message)).toBe(message);
    const state = { jobs: [finished], nextCursor: undefined };
    expect(applyJobEvent(state, event('status_changed', running), emptyFilter)).toBe(state);
  });

  it('appends a page without listing a job twice', () => {
    const next = appendPage(
      { ...listed, nextCursor: 'next' },
      { jobs: [job({ submission_id: 'b' }), job({ submission_id: 'a' })], nextCursor: undefined },
    );
    expect(ids(next)).toEqual(['c', 'b', 'a']);
    expect(next.nextCursor).toBeUndefined();
  });
});
