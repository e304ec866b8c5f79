import type { JobListOrder, JobStatus } from '@jobs/client';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { jobsOfPages } from './jobPages.js';
import { useJobsContext } from './JobsProvider.js';
import type { JobsQuery } from './jobsQuery.js';
import {
  defaultPageSize,
  jobListQuery,
  jobLogQuery,
  jobActivityQuery,
  jobQuery,
  jobSummaryQuery,
  jobTimingQuery,
} from './queries.js';

/**
 * Jobs `query` lets through, in `order` (newest submission first by default), a page of
 * `limit` at a time: `data` is the jobs of the pages loaded so far, `fetchNextPage` loads the next one (`hasNextPage` while
 * one remains). Kept current by job events. A new query shows the previous one's jobs until
 * its first page arrives (`isPlaceholderData`).
 */
export function useJobList(
  query: JobsQuery,
  options: { limit?: number; order?: JobListOrder } = {},
) {
  const { source } = useJobsContext();
  return useInfiniteQuery({
    ...jobListQuery(source, query, options.limit ?? defaultPageSize, options.order),
    select: (data) => jobsOfPages(data.pages),
    placeholderData: keepPreviousData,
  });
}

/** Counts per status of the jobs `query` lets through; read again as jobs change. */
export function useJobSummary(query: JobsQuery) {
  const { source } = useJobsContext();
  return useQuery({ ...jobSummaryQuery(source, query), placeholderData: keepPreviousData });
}

/**
 * The activity of the jobs `query` lets through (`data.activity`: jobs per hour or day by status,
 * and their durations), computed by the server; read again as jobs change. Bars of a day or more
 * start at midnights of `timeZone` (an IANA name; UTC without it).
 */
export function useJobActivity(
  query: JobsQuery,
  options: { enabled?: boolean; timeZone?: string } = {},
) {
  const { source } = useJobsContext();
  return useQuery({
    ...jobActivityQuery(source, query, options.timeZone),
    enabled: options.enabled ?? true,
    placeholderData: keepPreviousData,
  });
}

/**
 * When the job was submitted, started running and ended, read again whenever `status` (the
 * job's, from useJob) changes; undefined `status` (the job not read yet) reads nothing.
 */
export function useJobTiming(submissionId: string, status: JobStatus | undefined) {
  const { source } = useJobsContext();
  return useQuery({
    ...jobTimingQuery(source, submissionId, status ?? 'PENDING'),
    enabled: status !== undefined,
    placeholderData: keepPreviousData,
  });
}

/** One job, kept current by job events: `data.job`, and `data.deleted` once it is deleted. */
export function useJob(submissionId: string) {
  const { source } = useJobsContext();
  return useQuery(jobQuery(source, submissionId));
}

/**
 * A job's log as it is now, the whole of it or its last `tailBytes`, read again when the job's
 * status changes. To watch a running job's log grow, see `useFollowJobLog`.
 */
export function useJobLog(submissionId: string, options: { tailBytes?: number } = {}) {
  const { source } = useJobsContext();
  return useQuery(jobLogQuery(source, submissionId, options.tailBytes));
}
