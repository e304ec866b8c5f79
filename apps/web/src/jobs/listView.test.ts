import { jobFixture } from '@jobs/test-support';
import { describe, expect, it } from 'vitest';
import { sortJobs, viewFromSearchParams, withView } from './listView.js';

const now = 1_000_000;
const jobs = [
  jobFixture({ submission_id: 'c', start_time: '300', end_time: '400' }),
  jobFixture({ submission_id: 'b', start_time: '200', end_time: '', status: 'RUNNING' }),
  jobFixture({ submission_id: 'a', start_time: '100', end_time: '150' }),
  jobFixture({ submission_id: 'a2', start_time: '100', end_time: '200' }),
];
const ids = (list: { submission_id: string }[]) => list.map((job) => job.submission_id);

describe('sortJobs', () => {
  it('keeps the server’s order for newest first, and reverses it by time for oldest first', () => {
    expect(ids(sortJobs(jobs, 'newest', now))).toEqual(['c', 'b', 'a', 'a2']);
    // Equal times keep the server's order.
    expect(ids(sortJobs(jobs, 'oldest', now))).toEqual(['a', 'a2', 'b', 'c']);
  });

  it('orders by duration, a running job’s being its time so far', () => {
    expect(ids(sortJobs(jobs, 'longest', now))).toEqual(['b', 'c', 'a2', 'a']);
    expect(ids(sortJobs(jobs, 'shortest', now))).toEqual(['a', 'c', 'a2', 'b']);
  });
});

describe('the list view in the address', () => {
  it('reads back what it wrote, leaving defaults out', () => {
    const params = withView(new URLSearchParams('q=x'), { sort: 'longest', activity: true });
    expect(params.toString()).toBe('q=x&sort=longest&activity=1');
    expect(viewFromSearchParams(params)).toEqual({ sort: 'longest', activity: true });
    expect(withView(new URLSearchParams(), { sort: 'newest', activity: false }).toString()).toBe(
      '',
    );
  });

  it('ignores an unknown sort', () => {
    expect(viewFromSearchParams(new URLSearchParams('sort=random'))).toEqual({
      sort: 'newest',
      activity: false,
    });
  });
});
