import type { JobDetails } from '@jobs/client';
import { startedAt } from '@jobs/react';
import { jobDurationMs } from './jobTimes.js';

/** Orders of the loaded rows; the server lists newest first, the others are applied here. */
export const listSorts = {
  newest: 'Newest first',
  oldest: 'Oldest first',
  longest: 'Longest first',
  shortest: 'Shortest first',
} as const;
export type ListSort = keyof typeof listSorts;

/** How the list is shown, beside which jobs it holds; kept in the address with the filter. */
export interface ListView {
  sort: ListSort;
  /** The activity chart is open. */
  activity: boolean;
}

export const defaultView: ListView = { sort: 'newest', activity: false };

export function viewFromSearchParams(params: URLSearchParams): ListView {
  const sort = params.get('sort') ?? '';
  return {
    sort: sort in listSorts ? (sort as ListSort) : 'newest',
    activity: params.get('activity') === '1',
  };
}

/** Adds the view to an address query, leaving out what is as by default. */
export function withView(params: URLSearchParams, view: ListView): URLSearchParams {
  const result = new URLSearchParams(params);
  if (view.sort !== 'newest') result.set('sort', view.sort);
  if (view.activity) result.set('activity', '1');
  return result;
}

/**
 * The loaded jobs in the chosen order; ties keep the server's order (newest first). A running
 * job's duration is its time so far.
 */
export function sortJobs(jobs: readonly JobDetails[], sort: ListSort, nowMs: number): JobDetails[] {
  if (sort === 'newest') return [...jobs];
  const keyed = jobs.map((job, index) => ({
    job,
    index,
    key: sort === 'oldest' ? startedAt(job) : jobDurationMs(job, nowMs),
  }));
  const direction = sort === 'longest' ? -1 : 1;
  keyed.sort((a, b) => (a.key - b.key) * direction || a.index - b.index);
  return keyed.map((entry) => entry.job);
}
