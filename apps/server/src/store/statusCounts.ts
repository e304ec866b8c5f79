import { type JobListFilter as JobFilter, type JobStatus, jobStatuses } from '@jobs/contract';

/** Jobs per status among those a filter selects. */
export interface StatusCounts {
  byStatus: Record<JobStatus, number>;
  /**
   * True when the filter had more candidate jobs than a count may read: only the newest of them
   * were looked at, so every count is a lower bound. False when the counts are exact.
   */
  capped: boolean;
}

export function zeroCounts(): Record<JobStatus, number> {
  return Object.fromEntries(jobStatuses.map((status) => [status, 0])) as Record<JobStatus, number>;
}

/**
 * Whether the maintained per-status counts answer `filter` exactly: it selects by status only
 * (or not at all).
 */
export function countedByStatusAlone(filter: JobFilter): boolean {
  return (
    Object.keys(filter.metadata ?? {}).length === 0 &&
    filter.text === undefined &&
    filter.submittedAfter === undefined &&
    filter.submittedBefore === undefined
  );
}

/** The maintained counts restricted to the statuses `filter` asks for. */
export function restrictToStatuses(
  counts: Record<JobStatus, number>,
  filter: JobFilter,
): Record<JobStatus, number> {
  if (filter.statuses === undefined) return counts;
  const kept = zeroCounts();
  for (const status of filter.statuses) kept[status] = counts[status];
  return kept;
}
