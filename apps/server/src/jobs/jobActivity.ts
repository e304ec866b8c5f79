import {
  type ActivityBucket,
  DURATION_BIN_UPPER_MS,
  type JobActivity,
  MAX_ACTIVITY_BUCKETS,
  activityBucketMs,
} from '@jobs/contract';
import type { JobTimes } from '../store/jobQueries.js';
import { zeroCounts } from '../store/statusCounts.js';
import { type ZoneCalendar, utcCalendar } from './zoneCalendar.js';

/** Days per bar of the bars wider than an hour. */
const daysPerBar: Record<Exclude<ActivityBucket, 'hour'>, number> = {
  day: 1,
  week: 7,
  '30 days': 30,
  '365 days': 365,
};

/**
 * The bars of width `bucket` covering [from, to): the index of the first (bars counted from the
 * epoch) and how many. Hours are UTC hours; wider bars are counted in the calendar's days.
 */
function barsOf(
  bucket: ActivityBucket,
  from: number,
  to: number,
  calendar: ZoneCalendar,
): { first: number; count: number } {
  const index =
    bucket === 'hour'
      ? (ms: number) => Math.floor(ms / activityBucketMs.hour)
      : (ms: number) => Math.floor(calendar.dayOf(ms) / daysPerBar[bucket]);
  const first = index(from);
  return { first, count: index(to - 1) - first + 1 };
}

/** Where bar `index` (counted from the epoch) of width `bucket` starts. */
function barStart(bucket: ActivityBucket, index: number, calendar: ZoneCalendar): number {
  return bucket === 'hour'
    ? index * activityBucketMs.hour
    : calendar.startOf(index * daysPerBar[bucket]);
}

/** The narrowest bar width that cuts [from, to) into at most MAX_ACTIVITY_BUCKETS bars. */
function bucketFor(from: number, to: number, calendar: ZoneCalendar): ActivityBucket | undefined {
  return (Object.keys(activityBucketMs) as ActivityBucket[]).find(
    (bucket) => barsOf(bucket, from, to, calendar).count <= MAX_ACTIVITY_BUCKETS,
  );
}

/** The index of the bar holding `ms` among bars bounded by ascending `edges`, or -1. */
function barIndex(edges: readonly number[], ms: number): number {
  let low = 0;
  let high = edges.length - 1;
  if (high < 1 || ms < (edges[0] ?? 0) || ms >= (edges[high] ?? 0)) return -1;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (ms < (edges[middle] ?? 0)) high = middle;
    else low = middle;
  }
  return low;
}

/** The `p` quantile of ascending `sorted` by nearest rank; null when there is none. */
function quantile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? null;
}

function durationsOf(jobs: readonly JobTimes[]): JobActivity['durations'] {
  const durations = jobs
    .filter((job) => job.endTime !== null)
    .map((job) => Math.max(0, (job.endTime ?? job.startTime) - job.startTime))
    .sort((a, b) => a - b);
  const histogram = [...DURATION_BIN_UPPER_MS, null].map((below) => ({
    below_ms: below,
    count: 0,
  }));
  for (const duration of durations) {
    const bin = DURATION_BIN_UPPER_MS.findIndex((upper) => duration < upper);
    const entry = histogram[bin === -1 ? DURATION_BIN_UPPER_MS.length : bin];
    if (entry !== undefined) entry.count += 1;
  }
  return {
    count: durations.length,
    p50_ms: quantile(durations, 0.5),
    p90_ms: quantile(durations, 0.9),
    p99_ms: quantile(durations, 0.99),
    max_ms: durations.at(-1) ?? null,
    histogram,
  };
}

/**
 * Jobs submitted per bar by status, and the spread of their durations. The range is the
 * filter's (`after` and `before` are exclusive, as in the filter) where it has one, else that of
 * the jobs; a range too wide for even the widest bars keeps to the span of its jobs. Bars wider
 * than an hour start at the calendar's midnights.
 */
export function jobActivity(
  jobs: readonly JobTimes[],
  range: { after?: number; before?: number },
  capped: boolean,
  calendar: ZoneCalendar = utcCalendar,
): JobActivity {
  let earliest: number | undefined;
  let latest: number | undefined;
  for (const { startTime } of jobs) {
    earliest = Math.min(earliest ?? startTime, startTime);
    latest = Math.max(latest ?? startTime + 1, startTime + 1);
  }
  let from = range.after === undefined ? earliest : range.after + 1;
  let to = range.before ?? latest;
  let bucket = from !== undefined && to !== undefined ? bucketFor(from, to, calendar) : 'hour';
  if (bucket === undefined && earliest !== undefined && latest !== undefined) {
    from = Math.max(from ?? earliest, earliest);
    to = Math.min(to ?? latest, latest);
    bucket = bucketFor(from, to, calendar);
  }
  const chosen = bucket ?? '365 days';
  const bars =
    from === undefined || to === undefined || to <= from
      ? { first: 0, count: 0 }
      : barsOf(chosen, from, to, calendar);
  const edges =
    bars.count === 0
      ? []
      : Array.from({ length: bars.count + 1 }, (_, index) =>
          barStart(chosen, bars.first + index, calendar),
        );
  const buckets = edges.slice(0, -1).map((start, index) => ({
    start,
    end: edges[index + 1] ?? start,
    by_status: zeroCounts(),
  }));
  let counted = 0;
  for (const job of jobs) {
    const bar = buckets[barIndex(edges, job.startTime)];
    if (bar === undefined) continue;
    bar.by_status[job.status] += 1;
    counted += 1;
  }
  return {
    bucket: chosen,
    bucket_ms: activityBucketMs[chosen],
    buckets,
    durations: durationsOf(jobs),
    jobs: counted,
    capped,
  };
}
