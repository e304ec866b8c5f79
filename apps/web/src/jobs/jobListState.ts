import { type JobDetails, type JobEvent, isTerminalStatus } from '@jobs/client';
import type { JobsPage } from '../api/jobsApi.js';
import { type JobFilter, matchesFilter } from './jobFilters.js';
import { startedAt } from './jobTimes.js';

/** The part of the filtered list loaded so far, newest submission first. */
export interface JobListState {
  /** What the pages were read with: changes are placed by the same rules. */
  filter: JobFilter;
  jobs: JobDetails[];
  /** Where the next page starts; undefined once the last page is loaded. */
  nextCursor: string | undefined;
  /**
   * Submission time of the last job of the pages read so far. Jobs submitted before it belong
   * to pages not read yet (the cursor points past it), whatever has since left the list.
   */
  oldestRead: number | undefined;
}

/** The list as its first page gave it. */
export function firstPage(filter: JobFilter, page: JobsPage): JobListState {
  return appendPage({ filter, jobs: [], nextCursor: undefined, oldestRead: undefined }, page);
}

/** How far along a job is: a job only ever moves forward (PENDING, RUNNING, then the end). */
function progressOf(job: JobDetails): number {
  return isTerminalStatus(job.status) ? 2 : job.status === 'RUNNING' ? 1 : 0;
}

/**
 * The newer of two snapshots of one job. Snapshots can arrive out of order (a read answered
 * just before a change, its event just after), but a job never moves back, so a snapshot
 * behind the one shown never replaces it.
 */
export function newerSnapshot(current: JobDetails, incoming: JobDetails): JobDetails {
  return progressOf(incoming) < progressOf(current) ? current : incoming;
}

/** Index at which a job belongs in a list ordered newest submission first. */
function placeOf(jobs: readonly JobDetails[], job: JobDetails): number {
  const index = jobs.findIndex((other) => startedAt(other) < startedAt(job));
  return index === -1 ? jobs.length : index;
}

/**
 * The list after one change to one job, as the server would list it under the list's filter: a
 * job that no longer matches leaves, one that now matches joins at its place. A job older than
 * the pages read while more remain is left for those pages, so none is listed twice.
 */
export function applyJobEvent(state: JobListState, event: JobEvent): JobListState {
  const { filter } = state;
  const index = state.jobs.findIndex((job) => job.submission_id === event.job.submission_id);
  const current = index === -1 ? undefined : state.jobs[index];
  if (event.type === 'deleted') {
    return current === undefined
      ? state
      : { ...state, jobs: state.jobs.filter((_, at) => at !== index) };
  }
  const job = current === undefined ? event.job : newerSnapshot(current, event.job);
  if (!matchesFilter(job, filter)) {
    return current === undefined
      ? state
      : { ...state, jobs: state.jobs.filter((_, at) => at !== index) };
  }
  if (current !== undefined) {
    if (job === current) return state;
    return { ...state, jobs: state.jobs.map((other, at) => (at === index ? job : other)) };
  }
  const unread = state.nextCursor !== undefined && startedAt(job) < (state.oldestRead ?? Infinity);
  if (unread) return state;
  const place = placeOf(state.jobs, job);
  return { ...state, jobs: [...state.jobs.slice(0, place), job, ...state.jobs.slice(place)] };
}

/** Adds the next page, skipping any job already listed (it may have arrived by an event). */
export function appendPage(state: JobListState, page: JobsPage): JobListState {
  const listed = new Set(state.jobs.map((job) => job.submission_id));
  const last = page.jobs.at(-1);
  return {
    ...state,
    jobs: [...state.jobs, ...page.jobs.filter((job) => !listed.has(job.submission_id))],
    nextCursor: page.nextCursor,
    oldestRead: last === undefined ? state.oldestRead : startedAt(last),
  };
}
