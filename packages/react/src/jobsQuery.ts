import {
  type JobListFilter,
  type JobStatus,
  type JobStatusFilter,
  statusFilter,
} from '@jobs/client';

/** Which jobs a list or a summary is about: the filters of `GET /api/jobs`, all optional. */
export interface JobsQuery {
  /** Jobs in any of these statuses. */
  status?: readonly JobStatus[];
  /** Exact matches of metadata entries (`metadata.<key>=<value>`). */
  metadata?: Readonly<Record<string, string>>;
  /** Case-insensitive text the submission id or the entrypoint contains. */
  q?: string;
  /** Submitted strictly after / before, ms since the epoch. */
  submitted_after?: number;
  submitted_before?: number;
}

/** The query as the list and summary routes take it; empty conditions are left out. */
export function toFilterQuery(query: JobsQuery): {
  status?: JobStatusFilter;
  metadata?: Record<string, string>;
  q?: string;
  submitted_after?: number;
  submitted_before?: number;
} {
  const status = statusFilter(query.status ?? []);
  const metadata = query.metadata ?? {};
  return {
    ...(status === undefined ? {} : { status }),
    ...(Object.keys(metadata).length === 0 ? {} : { metadata: { ...metadata } }),
    ...(query.q === undefined || query.q === '' ? {} : { q: query.q }),
    ...(query.submitted_after === undefined ? {} : { submitted_after: query.submitted_after }),
    ...(query.submitted_before === undefined ? {} : { submitted_before: query.submitted_before }),
  };
}

/** The query in the terms of `jobMatchesFilter`, which @jobs/contract defines once. */
export function toListFilter(query: JobsQuery): JobListFilter {
  const wire = toFilterQuery(query);
  return {
    ...(query.status === undefined || query.status.length === 0 ? {} : { statuses: query.status }),
    ...(wire.metadata === undefined ? {} : { metadata: wire.metadata }),
    ...(wire.q === undefined ? {} : { text: wire.q }),
    ...(wire.submitted_after === undefined ? {} : { submittedAfter: wire.submitted_after }),
    ...(wire.submitted_before === undefined ? {} : { submittedBefore: wire.submitted_before }),
  };
}
