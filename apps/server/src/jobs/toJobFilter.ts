import type { JobFilterQuery } from '@jobs/contract';
import type { JobFilter } from '../store/jobQueries.js';

/** The store's filter for validated list or summary query parameters. */
export function toJobFilter(query: JobFilterQuery): JobFilter {
  return {
    statuses: query.status,
    metadata: query.metadata,
    submittedAfter: query.submitted_after,
    submittedBefore: query.submitted_before,
    text: query.q,
  };
}
