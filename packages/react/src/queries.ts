import {
  type JobDetails,
  type JobListOrder,
  type JobStatus,
  type JobSummary,
  type JobTiming,
  type JobsClient,
  nextPageQuery,
  okBody,
  readLogRanges,
} from '@jobs/client';
import { type InfiniteData, infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { JobEventBus } from './jobEventBus.js';
import { jobKeys } from './jobKeys.js';
import { type JobsPage, applyJobEventToPages, newerSnapshot, pageOf } from './jobPages.js';
import { type JobsQuery, toFilterQuery, toListFilter } from './jobsQuery.js';

/** What the queries read with: the API client, and the events the provider receives. */
export interface JobsSource {
  client: JobsClient;
  events: JobEventBus;
}

export type JobListData = InfiniteData<JobsPage, string | undefined>;

/** One job as last known; `deleted` once its deletion was seen. */
export interface JobView {
  job: JobDetails;
  deleted: boolean;
}

/** A log as read once: the whole of it, or its last `tailBytes`. */
export interface JobLogText {
  text: string;
  /** Byte offset `text` starts at: above 0 when only the end was read. */
  from: number;
  /** Byte offset right after `text`. */
  end: number;
}

/** Jobs read per page unless a hook is given another `limit`. */
export const defaultPageSize = 50;

/**
 * A job list in `order`, a page at a time (the cursor of the `Link` header's next page). Live:
 * the provider patches its pages from job events, so it is never stale by age.
 */
export function jobListQuery(
  source: JobsSource,
  query: JobsQuery,
  limit = defaultPageSize,
  order: JobListOrder = 'newest',
) {
  const filter = toListFilter(query);
  return infiniteQueryOptions({
    queryKey: jobKeys.list(query, limit, order),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: JobsPage) => last.nextCursor,
    staleTime: Infinity,
    queryFn: async ({ pageParam, signal }): Promise<JobsPage> => {
      const { value: response, recorded } = await source.events.recordingWhile(() =>
        source.client.listJobs({
          query: {
            ...toFilterQuery(query),
            // Left out when newest: the server's default, and any server's answer without it.
            ...(order === 'newest' ? {} : { order }),
            limit,
            ...(pageParam === undefined ? {} : { cursor: pageParam }),
          },
          fetchOptions: { signal },
        }),
      );
      const cursor = nextPageQuery(response.headers.get('link'))?.cursor;
      let pages = [pageOf(filter, okBody(response), cursor, order)];
      for (const event of recorded) {
        pages = applyJobEventToPages(pages, event, { insert: pageParam === undefined });
      }
      const [page] = pages;
      if (page === undefined) throw new Error('a page patched by events is still one page');
      return page;
    },
  });
}

/** Counts per status of the jobs `query` lets through; read again as jobs change. */
export function jobSummaryQuery(source: JobsSource, query: JobsQuery) {
  return queryOptions({
    queryKey: jobKeys.summary(query),
    staleTime: Infinity,
    queryFn: async ({ signal }): Promise<JobSummary> =>
      okBody(
        await source.client.getJobSummary({
          query: toFilterQuery(query),
          fetchOptions: { signal },
        }),
      ),
  });
}

/**
 * The summary with its `activity`: jobs submitted per hour or day by status, and their
 * durations, for the jobs `query` lets through; read again as jobs change.
 */
export function jobActivityQuery(source: JobsSource, query: JobsQuery, timeZone?: string) {
  return queryOptions({
    queryKey: jobKeys.activity(query, timeZone),
    staleTime: Infinity,
    queryFn: async ({ signal }): Promise<JobSummary> =>
      okBody(
        await source.client.getJobSummary({
          query: {
            ...toFilterQuery(query),
            activity: true,
            ...(timeZone === undefined ? {} : { time_zone: timeZone }),
          },
          fetchOptions: { signal },
        }),
      ),
  });
}

/**
 * When a job was submitted, started running and ended (`GET /api/jobs/{id}/timing`), as of the
 * job's `status`: the times only change with it.
 */
export function jobTimingQuery(source: JobsSource, submissionId: string, status: JobStatus) {
  return queryOptions({
    queryKey: jobKeys.timing(submissionId, status),
    staleTime: Infinity,
    queryFn: async ({ signal }): Promise<JobTiming> =>
      okBody(
        await source.client.getJobTiming({
          params: { submission_id: submissionId },
          fetchOptions: { signal },
        }),
      ),
  });
}

/** One job; live like the lists. */
export function jobQuery(source: JobsSource, submissionId: string) {
  return queryOptions({
    queryKey: jobKeys.job(submissionId),
    staleTime: Infinity,
    queryFn: async ({ signal }): Promise<JobView> => {
      const { value: response, recorded } = await source.events.recordingWhile(() =>
        source.client.getJob({ params: { submission_id: submissionId }, fetchOptions: { signal } }),
      );
      let view: JobView = { job: okBody(response), deleted: false };
      for (const event of recorded) {
        if (event.job.submission_id !== submissionId) continue;
        view =
          event.type === 'deleted'
            ? { ...view, deleted: true }
            : { ...view, job: newerSnapshot(view.job, event.job) };
      }
      return view;
    },
  });
}

/** A log's size in bytes right now. */
export async function readLogSize(
  client: JobsClient,
  submissionId: string,
  signal?: AbortSignal,
): Promise<number> {
  const response = await client.getJobLogs({
    params: { submission_id: submissionId },
    query: { offset: 0, limit: 1 },
    fetchOptions: { signal },
  });
  okBody(response);
  return Number(response.headers.get('x-log-size') ?? 0);
}

/**
 * A job's log as it is now: the whole of it, or its last `tailBytes` (which may start inside a
 * line). Read again when the job's status changes.
 */
export function jobLogQuery(source: JobsSource, submissionId: string, tailBytes?: number) {
  return queryOptions({
    queryKey: jobKeys.log(submissionId, tailBytes),
    queryFn: async ({ signal }): Promise<JobLogText> => {
      const size =
        tailBytes === undefined ? 0 : await readLogSize(source.client, submissionId, signal);
      const from = Math.max(0, size - (tailBytes ?? size));
      const parts: string[] = [];
      let end = from;
      for await (const range of readLogRanges(source.client, submissionId, {
        fromOffset: from,
        signal,
      })) {
        parts.push(range.text);
        end = range.end;
      }
      return { text: parts.join(''), from, end };
    },
  });
}
