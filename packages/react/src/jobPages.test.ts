import type { JobDetails, JobEvent, JobEventType, JobListFilter } from '@jobs/client';
import { jobFixture } from '@jobs/test-support';
import { describe, expect, it } from 'vitest';
import {
  type JobsPage,
  applyJobEventToPages,
  jobsOfPages,
  newerSnapshot,
  pageOf,
} from './jobPages.js';

let nextEventId = 1;
const event = (type: JobEventType, job: JobDetails): JobEvent => ({
  event_id: nextEventId++,
  type,
  job,
});
const job = (id: string, startTime: number, status: JobDetails['status'] = 'SUCCEEDED') =>
  jobFixture({ submission_id: id, start_time: String(startTime), status });
const ids = (pages: JobsPage[]) => jobsOfPages(pages).map((one) => one.submission_id);
const apply = (pages: JobsPage[], change: JobEvent) =>
  applyJobEventToPages(pages, change, { insert: true });
const only = (...statuses: JobDetails['status'][]): JobListFilter => ({ statuses });

/** The whole list: c (running) and b (failed). */
const listed = [pageOf({}, [job('c', 3000, 'RUNNING'), job('b', 2000, 'FAILED')], undefined)];

describe('keeping loaded pages current from job events', () => {
  it('puts a created job first and drops a deleted one', () => {
    const created = apply(listed, event('created', job('d', 4000, 'PENDING')));
    expect(ids(created)).toEqual(['d', 'c', 'b']);
    const deleted = apply(created, event('deleted', job('c', 3000)));
    expect(ids(deleted)).toEqual(['d', 'b']);
    // Deleting a job that is not listed changes nothing.
    expect(apply(deleted, event('deleted', job('x', 1)))).toBe(deleted);
  });

  it('replaces a job in place when it changes', () => {
    const next = apply(listed, event('status_changed', job('c', 3000, 'SUCCEEDED')));
    expect(ids(next)).toEqual(['c', 'b']);
    expect(next[0]?.jobs[0]?.status).toBe('SUCCEEDED');
  });

  it('removes a job that leaves the filter and adds one that enters it, in order', () => {
    const running = [pageOf(only('RUNNING'), [job('e', 5000, 'RUNNING')], undefined)];
    const left = apply(running, event('status_changed', job('e', 5000, 'FAILED')));
    expect(ids(left)).toEqual([]);
    const entered = apply(running, event('status_changed', job('a', 1000, 'RUNNING')));
    expect(ids(entered)).toEqual(['e', 'a']);
    // A created job that does not match is not listed.
    expect(apply(running, event('created', job('p', 6000, 'PENDING')))).toBe(running);
  });

  it('places a job by the time range and text of the filter', () => {
    const ranged = [pageOf({ submittedAfter: 1500, text: 'TRAIN' }, [], undefined)];
    const inRange = { ...job('train-2', 2000), entrypoint: 'python train.py' };
    expect(ids(apply(ranged, event('created', inRange)))).toEqual(['train-2']);
    const before = { ...job('train-1', 1000), entrypoint: 'python train.py' };
    expect(apply(ranged, event('created', before))).toBe(ranged);
  });

  it('leaves a job older than the pages read to the pages still to come', () => {
    const partial = [pageOf({}, [job('c', 3000), job('b', 2000)], 'next')];
    const older = event('status_changed', job('a', 1000));
    expect(apply(partial, older)).toBe(partial);
    expect(ids(apply(listed, older))).toEqual(['c', 'b', 'a']);
  });

  it('inserts across pages at the job’s place, and only into the first page when asked', () => {
    const two = [
      pageOf({}, [job('f', 6000), job('e', 5000)], 'p2'),
      pageOf({}, [job('c', 3000), job('b', 2000)], undefined),
    ];
    const moved = apply(two, event('status_changed', job('d', 4000)));
    expect(moved[1]?.jobs.map((one) => one.submission_id)).toEqual(['d', 'c', 'b']);
    expect(moved[0]).toBe(two[0]);
    const one = [two[1] ?? pageOf({}, [], undefined)];
    expect(applyJobEventToPages(one, event('created', job('g', 7000)), { insert: false })).toBe(
      one,
    );
  });

  it('keeps the last row of the pages read in reach after it left and comes back', () => {
    // PENDING or FAILED, more pages to come: j is the last row read, the next page starts after it.
    const filter = only('PENDING', 'FAILED');
    let pages = [pageOf(filter, [job('k', 2000, 'FAILED'), job('j', 1000, 'PENDING')], 'c')];
    pages = apply(pages, event('status_changed', job('j', 1000, 'RUNNING')));
    expect(ids(pages)).toEqual(['k']);
    pages = apply(pages, event('status_changed', job('j', 1000, 'FAILED')));
    // The next page starts after j, so j must come back here or never.
    expect(ids(pages)).toEqual(['k', 'j']);
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
    const pages = [pageOf({}, [finished], undefined)];
    expect(apply(pages, event('status_changed', running))).toBe(pages);
  });

  it('lists a job that reached two pages once', () => {
    const pages = [
      pageOf({}, [job('c', 3000), job('b', 2000)], 'next'),
      pageOf({}, [job('b', 2000), job('a', 1000)], undefined),
    ];
    expect(ids(pages)).toEqual(['c', 'b', 'a']);
  });
});

describe('placing changed jobs in the order the pages were read in', () => {
  const ended = (id: string, startTime: number, ms: number) =>
    jobFixture({
      submission_id: id,
      start_time: String(startTime),
      end_time: String(startTime + ms),
      status: 'SUCCEEDED',
    });
  const running = (id: string, startTime: number) =>
    jobFixture({
      submission_id: id,
      start_time: String(startTime),
      end_time: '',
      status: 'RUNNING',
    });

  it('adds a new job at the end of an oldest-first list only once its end is loaded', () => {
    const partial = [pageOf({}, [job('a', 1000), job('b', 2000)], 'next', 'oldest')];
    expect(apply(partial, event('created', job('z', 9000, 'PENDING')))).toBe(partial);
    const whole = [pageOf({}, [job('a', 1000), job('b', 2000)], undefined, 'oldest')];
    expect(ids(apply(whole, event('created', job('z', 9000, 'PENDING'))))).toEqual(['a', 'b', 'z']);
  });

  it('adds a new job after the ended ones of a duration order, first of those not ended', () => {
    const pages = [
      pageOf(
        {},
        [ended('a', 1000, 50), ended('b', 2000, 10), running('c', 3000)],
        'next',
        'longest',
      ),
    ];
    expect(ids(apply(pages, event('created', running('d', 4000))))).toEqual(['a', 'b', 'd', 'c']);
    const shortest = [
      pageOf(
        {},
        [ended('b', 2000, 10), ended('a', 1000, 50), running('c', 3000)],
        undefined,
        'shortest',
      ),
    ];
    expect(ids(apply(shortest, event('created', running('d', 4000))))).toEqual([
      'b',
      'a',
      'd',
      'c',
    ]);
  });

  it('leaves a new job to the pages not read while only ended jobs are loaded', () => {
    const pages = [pageOf({}, [ended('a', 1000, 50), ended('b', 2000, 10)], 'next', 'longest')];
    expect(apply(pages, event('created', running('d', 4000)))).toBe(pages);
  });

  it('places a job joining a filter by its duration', () => {
    const failed = only('FAILED');
    const pages = [
      pageOf(
        failed,
        [ended('a', 1000, 50), ended('b', 2000, 10)].map((one) => ({
          ...one,
          status: 'FAILED' as const,
        })),
        undefined,
        'longest',
      ),
    ];
    const joined = { ...ended('c', 3000, 30), status: 'FAILED' as const };
    expect(ids(apply(pages, event('status_changed', joined)))).toEqual(['a', 'c', 'b']);
  });
});
