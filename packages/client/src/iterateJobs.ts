import type { JobDetails, JobListOrder, JobStatus } from '@jobs/contract';
import type { JobsClient } from './createJobsClient.js';
import { okBody } from './jobsApiError.js';
import { nextPageQuery } from './nextLink.js';

export interface IterateJobsOptions {
  /** Only jobs in this status (or these statuses). */
  status?: JobStatus | readonly JobStatus[];
  /** The order of the list (see jobListOrders); the server's default, newest first, when absent. */
  order?: JobListOrder;
  /** Sent as the query of the first request, e.g. a page size. */
  query?: Record<string, string>;
  /** Aborting it stops the iteration and cancels the request in flight. */
  signal?: AbortSignal;
}

type ListJobsWithQuery = (args: {
  query?: Record<string, string>;
  fetchOptions?: RequestInit;
}) => ReturnType<JobsClient['listJobs']>;

/**
 * Every job the list route returns, in `order` (newest submission first by default), one page
 * at a time: as long as
 * an answer carries a `Link: <…>; rel="next"` header, the next page is requested with that link's
 * query (an opaque cursor). Against a server that answers with one plain array, that array is
 * the only page.
 */
export async function* iterateJobs(
  client: JobsClient,
  options: IterateJobsOptions = {},
): AsyncGenerator<JobDetails, void, undefined> {
  const { status, order, signal } = options;
  const wanted =
    status === undefined
      ? () => true
      : (job: JobDetails) =>
          typeof status === 'string' ? job.status === status : status.includes(job.status);
  // The list route's query (cursor, page size) is whatever the server's next link says, so it is
  // passed through as given rather than typed here.
  const listJobs = client.listJobs as ListJobsWithQuery;
  // The server filters by status; the check above stays for servers that ignore the filter.
  let query: Record<string, string> | undefined =
    status === undefined && order === undefined
      ? options.query
      : {
          ...options.query,
          ...(status === undefined
            ? {}
            : { status: typeof status === 'string' ? status : status.join(',') }),
          ...(order === undefined ? {} : { order }),
        };
  for (;;) {
    const response = await listJobs({
      ...(query ? { query } : {}),
      fetchOptions: signal ? { signal } : {},
    });
    for (const job of okBody(response)) if (wanted(job)) yield job;
    query = nextPageQuery(response.headers.get('link'));
    if (!query) return;
  }
}
