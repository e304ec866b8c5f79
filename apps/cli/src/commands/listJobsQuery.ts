import { MAX_PAGE_LIMIT } from '@jobs/client';

/** The list filters the server applies besides the status (which iterateJobs sends itself). */
export interface ListFilters {
  limit?: number;
  search?: string;
  metadata?: Record<string, string>;
  /** Submitted after this point in time (ms since the epoch). */
  since?: number;
  /** Submitted before this point in time (ms since the epoch). */
  until?: number;
}

/**
 * The list route's query for `jobctl list`: the server filters by text and metadata, and with a
 * limit answers pages no larger than it, so no more jobs are read than asked for (past the
 * largest page, pages of that size until the limit is reached). A limit must be 1 or more.
 */
export function toListJobsQuery(filters: ListFilters): Record<string, string> {
  const query: Record<string, string> = {};
  if (filters.limit !== undefined) query.limit = String(Math.min(filters.limit, MAX_PAGE_LIMIT));
  if (filters.search !== undefined) query.q = filters.search;
  if (filters.since !== undefined) query.submitted_after = String(filters.since);
  if (filters.until !== undefined) query.submitted_before = String(filters.until);
  for (const [key, value] of Object.entries(filters.metadata ?? {})) {
    query[`metadata.${key}`] = value;
  }
  return query;
}
