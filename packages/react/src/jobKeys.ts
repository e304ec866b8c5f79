import type { JobListOrder } from '@jobs/client';
import type { JobsQuery } from './jobsQuery.js';
import { toFilterQuery } from './jobsQuery.js';

/**
 * The query keys of everything the hooks cache, under one root so a reset can invalidate it
 * all. Filters are keyed by their wire form, so equal filters share one cache entry.
 */
export const jobKeys = {
  all: ['jobs'] as const,
  lists: () => [...jobKeys.all, 'list'] as const,
  list: (query: JobsQuery, limit: number, order: JobListOrder) =>
    [...jobKeys.lists(), toFilterQuery(query), { limit, order }] as const,
  summaries: () => [...jobKeys.all, 'summary'] as const,
  summary: (query: JobsQuery) => [...jobKeys.summaries(), toFilterQuery(query)] as const,
  /** Under the summaries: read again whenever they are. */
  activity: (query: JobsQuery, timeZone: string | undefined) =>
    [...jobKeys.summaries(), 'activity', toFilterQuery(query), timeZone ?? 'UTC'] as const,
  job: (submissionId: string) => [...jobKeys.all, 'job', submissionId] as const,
  /** Keyed by the job's status too: each change of status is read afresh. */
  timing: (submissionId: string, status: string) =>
    [...jobKeys.job(submissionId), 'timing', status] as const,
  logs: (submissionId: string) => [...jobKeys.all, 'log', submissionId] as const,
  log: (submissionId: string, tailBytes: number | undefined) =>
    [...jobKeys.logs(submissionId), { tailBytes: tailBytes ?? null }] as const,
};
