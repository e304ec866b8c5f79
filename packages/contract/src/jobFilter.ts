import type { JobDetails } from './jobDetails.js';
import type { JobStatus } from './jobStatus.js';

/** Which jobs a list or a count is about; every given condition must hold. */
export interface JobListFilter {
  statuses?: readonly JobStatus[];
  /** Exact match of each entry. */
  metadata?: Readonly<Record<string, string>>;
  /** Submitted strictly after, ms since the epoch. */
  submittedAfter?: number;
  /** Submitted strictly before, ms since the epoch. */
  submittedBefore?: number;
  /** ASCII case-insensitive substring of submission_id or entrypoint. */
  text?: string;
}

/**
 * How `q` ignores case: A-Z fold to a-z and nothing else, so every store backend can answer it
 * the same way whatever its collation or locale (a non-ASCII letter matches only itself).
 */
export function foldSearchText(text: string): string {
  return text.replace(/[A-Z]/g, (char) => char.toLowerCase());
}

/** The fields of a job a filter looks at. */
export type FilteredJob = Pick<
  JobDetails,
  'submission_id' | 'entrypoint' | 'status' | 'start_time' | 'metadata'
>;

/**
 * Whether `GET /api/jobs` lists `job` under `filter`: the meaning of the list filters, once.
 * Every store backend is tested against it, and the dashboard places changed jobs with it.
 */
export function jobMatchesFilter(job: FilteredJob, filter: JobListFilter): boolean {
  if (filter.statuses !== undefined && !filter.statuses.includes(job.status)) return false;
  for (const [key, value] of Object.entries(filter.metadata ?? {})) {
    if (!Object.hasOwn(job.metadata, key) || job.metadata[key] !== value) return false;
  }
  const startTime = Number(job.start_time);
  if (filter.submittedAfter !== undefined && !(startTime > filter.submittedAfter)) return false;
  if (filter.submittedBefore !== undefined && !(startTime < filter.submittedBefore)) return false;
  if (filter.text !== undefined) {
    const text = foldSearchText(filter.text);
    return (
      foldSearchText(job.submission_id).includes(text) ||
      foldSearchText(job.entrypoint).includes(text)
    );
  }
  return true;
}
