import type { JobDetails } from '@jobs/client';
import { describe, expect, it } from 'vitest';
import { eventFixture as event } from '../testing/eventFixture.js';
import { jobFixture } from '@jobs/test-support';
import { type JobFilter, emptyFilter } from './jobFilters.js';
import {
  type JobListState,
  appendPage,
  applyJobEvent,
  firstPage,
  newerSnapshot,
} from './jobListState.js';

const job = (id: string, startTime: number, status: JobDetails['status'] = 'SUCCEEDED') =>
  jobFixture({ submission_id: id, start_time: String(startTime), status });
const ids = (state: JobListState) => state.jobs.map((one) => one.submission_id);
const page = (jobs: JobDetails[], nextCursor?: string) => ({ jobs, nextCursor });
const only = (...statuses: JobDetails['status'][]): JobFilter => ({ ...emptyFilter, statuses });

/** The whole list: c (running) and b (failed). */
const listed = firstPage(emptyFilter, page([job('c', 3000, 'RUNNING'), job('b', 2000, 'FAILED')]));

describe('keeping the loaded list current from job events', () => {
  it('puts a created job first and drops a deleted one', () => {
    const created = applyJobEvent(listed, event('created', job('d', 4000, 'PENDING')));
    expect(ids(created)).toEqual(['d', 'c', 'b']);
    const deleted = applyJobEvent(created, event('deleted', job('c', 3000)));
    expect(ids(deleted)).toEqual(['d', 'b']);
    // Deleting a job that is not listed changes nothing.
    expect(applyJobEvent(deleted, event('deleted', job('x', 1)))).toBe(deleted);
  });

  it('replaces a job in place when it changes', () => {
    const next = applyJobEvent(listed, event('status_changed', job('c', 3000, 'SUCCEEDED')));
    expect(ids(next)).toEqual(['c', 'b']);
    expect(next.jobs[0]?.status).toBe('SUCCEEDED');
  });

  it('removes a job that leaves the filter and adds one that enters it, in order', () => {
    const running = firstPage(only('RUNNING'), page([job('e', 5000, 'RUNNING')]));
    const left = applyJobEvent(running, event('status_changed', job('e', 5000, 'FAILED')));
    expect(ids(left)).toEqual([]);
    const entered = applyJobEvent(running, event('status_changed', job('a', 1000, 'RUNNING')));
    expect(ids(entered)).toEqual(['e', 'a']);
    // A created job that does not match is not listed.
    expect(applyJobEvent(running, event('created', job('p', 6000, 'PENDING')))).toBe(running);
  });

  it('leaves a job older than the pages read to the pages still to come', () => {
    const partial = firstPage(emptyFilter, page([job('c', 3000), job('b', 2000)], 'next'));
    const older = event('status_changed', job('a', 1000));
    expect(applyJobEvent(partial, older)).toBe(partial);
    expect(ids(applyJobEvent(listed, older))).toEqual(['c', 'b', 'a']);
  });

  it('keeps the last row of the pages read in reach after it left and comes back', () => {
    // PENDING or FAILED, more pages to come: j is the last row read, the next page starts after it.
    const filter = only('PENDING', 'FAILED');
    let state = firstPage(filter, page([job('k', 2000, 'FAILED'), job('j', 1000, 'PENDING')], 'c'));
    state = applyJobEvent(state, event('status_changed', job('j', 1000, 'RUNNING')));
    expect(ids(state)).toEqual(['k']);
    state = applyJobEvent(state, event('status_changed', job('j', 1000, 'FAILED')));
    // The next page starts after j, so j must come back here or never.
    expect(ids(state)).toEqual(['k', 'j']);
  });

  it('never moves a job back to an earlier status when snapshots arrive out of order', () => {
    const finished = job('c', 3000, 'SUCCEEDED');
    const running = job('c', 3000, 'RUNNING');
    const pending = job('c', 3000, 'PENDING');
    expect(newerSnapshot(finished, running)).toBe(finished);
    expect(newerSnapshot(running, pending)).toBe(running);
    expect(newerSnapshot(pending, finished)).toBe(finished);
    const message = { ...running, message: 'still going' };
    expect(newerSnapshot(running, message)).toBe(message);
    const state = firstPage(emptyFilter, page([finished]));
    expect(applyJobEvent(state, event('status_changed', running))).toBe(state);
  });

  it('appends a page without listing a job twice, and moves the end of what was read', () => {
    const partial = firstPage(emptyFilter, page([job('c', 3000), job('b', 2000)], 'next'));
    const next = appendPage(partial, page([job('b', 2000), job('a', 1000)]));
    expect(ids(next)).toEqual(['c', 'b', 'a']);
    expect(next.nextCursor).toBeUndefined();
    expect(next.oldestRead).toBe(1000);
    expect(partial.oldestRead).toBe(2000);
  });
});
