import { type JobStatus, jobStatuses } from '@jobs/client';
import type { JobsQuery } from '@jobs/react';

/** What the jobs list is narrowed to; the empty filter shows every job. */
export interface JobFilter {
  /** Jobs in any of these statuses; every status when empty. */
  statuses: JobStatus[];
  /** Case-insensitive text that the submission id or the entrypoint contains. */
  search: string;
  /** Jobs whose metadata has this key with exactly this value; applies once both are given. */
  metadataKey: string;
  metadataValue: string;
  /**
   * Jobs submitted strictly after / before these local times, as a datetime-local input holds
   * them ("2026-11-30T09:00"); no bound when empty. The address and the API take ms.
   */
  submittedAfter: string;
  submittedBefore: string;
}

export const emptyFilter: JobFilter = {
  statuses: [],
  search: '',
  metadataKey: '',
  metadataValue: '',
  submittedAfter: '',
  submittedBefore: '',
};

/** A datetime-local value as ms since the epoch, or undefined when empty or not a time. */
export function epochOfLocalTime(value: string): number | undefined {
  if (value === '') return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/**
 * A time as a datetime-local input holds it: to the minute ("2026-11-30T09:00"), with seconds
 * and milliseconds only where it has them ("2026-11-30T08:59:59.999"), so a bar's bounds go
 * into the time filters exactly.
 */
export function toLocalInputValue(epochMs: number): string {
  const d = new Date(epochMs);
  const minute = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (d.getSeconds() === 0 && d.getMilliseconds() === 0) return minute;
  return `${minute}:${pad(d.getSeconds())}${d.getMilliseconds() === 0 ? '' : `.${pad(d.getMilliseconds(), 3)}`}`;
}

/**
 * A bound of the address as the input shows it: ms since the epoch, so a shared link means the
 * same time in any time zone (a local time, as older links hold, is taken as it is).
 */
function localInputValueOfParam(value: string | null): string {
  if (value === null) return '';
  return /^\d{1,16}$/.test(value) ? toLocalInputValue(Number(value)) : value;
}

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
    filter.metadataValue.trim() !== '' ||
    filter.submittedAfter !== '' ||
    filter.submittedBefore !== ''
  );
}

/** The filter as the hooks take it: trimmed search, a complete metadata pair. */
export function toJobsQuery(filter: JobFilter): JobsQuery {
  const search = filter.search.trim();
  const metadata = metadataCondition(filter);
  const after = epochOfLocalTime(filter.submittedAfter);
  const before = epochOfLocalTime(filter.submittedBefore);
  return {
    ...(filter.statuses.length === 0 ? {} : { status: filter.statuses }),
    ...(after === undefined ? {} : { submitted_after: after }),
    ...(before === undefined ? {} : { submitted_before: before }),
    ...(search === '' ? {} : { q: search }),
    ...(metadata === undefined ? {} : { metadata: { [metadata[0]]: metadata[1] } }),
  };
}

/** The same filter without its statuses: what the status chips count within. */
export function withoutStatuses(filter: JobFilter): JobFilter {
  return { ...filter, statuses: [] };
}

/**
 * The filter as the query of the list page's address, e.g. `status=FAILED&q=train`, its times
 * as ms since the epoch.
 */
export function filterToSearchParams(filter: JobFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.statuses.length > 0) params.set('status', filter.statuses.join(','));
  if (filter.search !== '') params.set('q', filter.search);
  const after = epochOfLocalTime(filter.submittedAfter);
  const before = epochOfLocalTime(filter.submittedBefore);
  if (after !== undefined) params.set('after', String(after));
  if (before !== undefined) params.set('before', String(before));
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
  const filter: JobFilter = {
    ...emptyFilter,
    statuses,
    search: params.get('q') ?? '',
    submittedAfter: localInputValueOfParam(params.get('after')),
    submittedBefore: localInputValueOfParam(params.get('before')),
  };
  for (const [name, value] of params) {
    if (name.startsWith('metadata.')) {
      return { ...filter, metadataKey: name.slice('metadata.'.length), metadataValue: value };
    }
  }
  return filter;
}
