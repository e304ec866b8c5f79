import type { JobActivity, JobStatus } from '@jobs/client';
import { jobStatuses } from '@jobs/client';
import { formatDuration } from '../format/formatTime.js';
import { toLocalInputValue } from './jobFilters.js';

export type ActivityBar = JobActivity['buckets'][number];

/** The list's time filters for the jobs of one bar: strictly after and before its bounds. */
export function barRange(bar: ActivityBar): { after: string; before: string } {
  return { after: toLocalInputValue(bar.start - 1), before: toLocalInputValue(bar.end) };
}

/**
 * Where a bar starts: a local hour for hourly bars, else the local day they start on (the page
 * asks for bars starting at its time zone's midnights).
 */
export function barLabel(start: number, bucket: JobActivity['bucket']): string {
  if (bucket === 'hour') {
    return new Date(start).toLocaleString('en-GB', {
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    });
  }
  return new Date(start).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
}

export function barTotal(bar: ActivityBar): number {
  return jobStatuses.reduce((sum, status) => sum + bar.by_status[status], 0);
}

function jobsWord(count: number): string {
  return count === 1 ? '1 job' : `${count.toLocaleString('en')} jobs`;
}

/** "5 jobs: 3 succeeded, 2 failed", the statuses in the API's order. */
export function barDescription(bar: ActivityBar): string {
  const parts = jobStatuses
    .filter((status: JobStatus) => bar.by_status[status] > 0)
    .map((status) => `${bar.by_status[status]} ${status.toLowerCase()}`);
  const total = barTotal(bar);
  return parts.length === 0 ? 'no jobs' : `${jobsWord(total)}: ${parts.join(', ')}`;
}

/** The chart in one sentence, for screen readers and as its caption. */
export function activitySummary(activity: JobActivity): string {
  const { buckets } = activity;
  const first = buckets[0];
  const last = buckets.at(-1);
  if (first === undefined || last === undefined) return 'No jobs in this range.';
  const busiest = buckets.reduce((top, bar) => (barTotal(bar) > barTotal(top) ? bar : top), first);
  const when =
    first === last
      ? `in the ${activity.bucket} from ${barLabel(first.start, activity.bucket)}`
      : `from ${barLabel(first.start, activity.bucket)} to ${barLabel(last.start, activity.bucket)}, per ${activity.bucket}`;
  return (
    `${jobsWord(activity.jobs)}${activity.capped ? ' (the newest 10,000 read)' : ''} submitted ` +
    `${when}; the busiest, ${barLabel(busiest.start, activity.bucket)}, had ${barDescription(busiest)}.`
  );
}

/** The percentiles of the durations in one line, or why there are none. */
export function durationSummary(durations: JobActivity['durations']): string {
  const { count, p50_ms: p50, p90_ms: p90, p99_ms: p99, max_ms: max } = durations;
  if (count === 0 || p50 === null || p90 === null || p99 === null || max === null) {
    return 'No job in this range has ended yet.';
  }
  return (
    `${jobsWord(count)} ended: median ${formatDuration(p50)}, 90th percentile ` +
    `${formatDuration(p90)}, 99th percentile ${formatDuration(p99)}, longest ${formatDuration(max)}.`
  );
}

/** "under 1s", "under 10m", "1d or more": one duration bin. */
export function binLabel(belowMs: number | null, previousMs: number | undefined): string {
  if (belowMs === null)
    return `${formatDuration(previousMs ?? 0).replace(/ 0+[smh]$/, '')} or more`;
  return `under ${formatDuration(belowMs).replace(/ 0+[smh]$/, '')}`;
}
