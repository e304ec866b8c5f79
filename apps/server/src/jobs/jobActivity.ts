import {
  type ActivityBucket,
  DURATION_BIN_UPPER_MS,
  type JobActivity,
  MAX_ACTIVITY_BUCKETS,
  activityBucketMs,
} from '@jobs/contract';
import type { JobTimes } from '../store/jobQueries.js';
import { zeroCounts } from '../store/statusCounts.js';

/** The first and the last bar (each a multiple of `size` since the epoch) covering [from, to). */
function barsOf(from: number, to: number, size: number): { first: number; count: number } {
  const first = Math.floor(from / size);
  return { first, count: Math.floor((to - 1) / size) - first + 1 };
}

/** The narrowest bar width that cuts [from, to) into at most MAX_ACTIVITY_BUCKETS bars. */
function bucketFor(from: number, to: number): ActivityBucket | undefined {
  return (Object.keys(activityBucketMs) as ActivityBucket[]).find(
    (bucket) => barsOf(from, to, activityBucketMs[bucket]).count <= MAX_ACTIVITY_BUCKETS,
  );
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
 * the jobs; a range too wide for even the widest bars keeps to the span of its jobs.
 */
export function jobActivity(
  jobs: readonly JobTimes[],
  range: { after?: number; before?: number },
  capped: boolean,
): JobActivity {
  let earliest: number | undefined;
  let latest: number | undefined;
  for (const { startTime } of jobs) {
    earliest = Math.min(earliest ?? startTime, startTime);
    latest = Math.max(latest ?? startTime + 1, startTime + 1);
  }
  let from = range.after === undefined ? earliest : range.after + 1;
  let to = range.before ?? latest;
  let bucket = from !== undefined && to !== undefined ? bucketFor(from, to) : 'hour';
  if (bucket === undefined && earliest !== undefined && latest !== undefined) {
    from = Math.max(from ?? earliest, earliest);
    to = Math.min(to ?? latest, latest);
    bucket = bucketFor(from, to);
  }
  const chosen = bucket ?? '365 days';
  const size = activityBucketMs[chosen];
  const bars =
    from === undefined || to === undefined || to <= from
      ? { first: 0, count: 0 }
      : barsOf(from, to, size);
  const buckets = Array.from({ length: bars.count }, (_, index) => ({
    start: (bars.first + index) * size,
    by_status: zeroCounts(),
  }));
  let counted = 0;
  for (const job of jobs) {
    const bar = buckets[Math.floor(job.startTime / size) - bars.first];
    if (bar === undefined) continue;
    bar.by_status[job.status] += 1;
    counted += 1;
  }
  return {
    bucket: chosen,
    bucket_ms: size,
    buckets,
    durations: durationsOf(jobs),
    jobs: counted,
    capped,
  };
}
