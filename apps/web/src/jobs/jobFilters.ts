import {
  type JobDetails,
  type JobListFilter,
  type JobStatus,
  type JobStatusFilter,
  jobMatchesFilter,
  jobStatuses,
  statusFilter,
} from '@jobs/client';

/** What the jobs list is narrowed to; the empty filter shows every job. */
export interface JobFilter {
  /** Jobs in any of these statuses; every status when empty. */
  statuses: JobStatus[];
  /** Case-insensitive text that the submission id or the entrypoint contains. */
  search: string;
  /** Jobs whose metadata has this key with exactly this value; applies once both are given. */
  metadataKey: string;
  metadataValue: string;
}

export const emptyFilter: JobFilter = {
  statuses: [],
  search: '',
  metadataKey: '',
  metadataValue: '',
};

/** The metadata pair the filter applies, or undefined while the key or the value is missing. */
export function metadataCondition(filter: JobFilter): [string, string] | undefined {
  const key = filter.metadataKey.trim();
  const value = filter.metadataValue.trim();
  return key !== '' && value !== '' ? [key, value] : undefined;
}

export function isFiltering(filter: JobFilter): boolean {
  return (
    filter.statuses.length > 0 ||
    filter.search.trim() !== '' ||
    filter.metadataKey.trim() !== '' ||
    filter.metadataValue.trim() !== ''
  );
}

/** The filter as the list and summary routes take it (status, q, metadata). */
export function toFilterQuery(filter: JobFilter): {
  status?: JobStatusFilter;
  q?: string;
  metadata?: Record<string, string>;
} {
  const search = filter.search.trim();
  const metadata = metadataCondition(filter);
  const status = statusFilter(filter.statuses);
  return {
    ...(status === undefined ? {} : { status }),
    ...(search === '' ? {} : { q: search }),
    ...(metadata === undefined ? {} : { metadata: { [metadata[0]]: metadata[1] } }),
  };
}

/** The same filter without its statuses: what the status chips count within. */
export function withoutStatuses(filter: JobFilter): JobFilter {
  return { ...filter, statuses: [] };
}

/** The filter in the terms of the list route, whose meaning @jobs/contract defines once. */
function toListFilter(filter: JobFilter): JobListFilter {
  const search = filter.search.trim();
  const metadata = metadataCondition(filter);
  return {
    ...(filter.statuses.length > 0 ? { statuses: filter.statuses } : {}),
    ...(search === '' ? {} : { text: search }),
    ...(metadata === undefined ? {} : { metadata: { [metadata[0]]: metadata[1] } }),
  };
}

/**
 * Whether the server would list this job under the filter: used to place a job that changed
 * while the list is shown, so it uses the list route's own rules.
 */
export function matchesFilter(job: JobDetails, filter: JobFilter): boolean {
  return jobMatchesFilter(job, toListFilter(filter));
}

/** The filter as the query of the list page's address, e.g. `status=FAILED&q=train`. */
export function filterToSearchParams(filter: JobFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.statuses.length > 0) params.set('status', filter.statuses.join(','));
  if (filter.search !== '') params.set('q', filter.search);
  if (filter.metadataKey !== '' || filter.metadataValue !== '') {
    params.set(`metadata.${filter.metadataKey}`, filter.metadataValue);
  }
  return params;
}

/** Reads a filter back from an address query; anything it does not know is ignored. */
export function filterFromSearchParams(params: URLSearchParams): JobFilter {
  const statuses = (params.get('status') ?? '')
    .split(',')
    .filter((part): part is JobStatus => (jobStatuses as readonly string[]).includes(part));
  const filter: JobFilter = { ...emptyFilter, statuses, search: params.get('q') ?? '' };
  for (const [name, value] of params) {
    if (name.startsWith('metadata.')) {
      return { ...filter, metadataKey: name.slice('metadata.'.length), metadataValue: value };
    }
  }
  return filter;
}
