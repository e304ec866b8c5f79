import { z } from 'zod';
import { type JobStatus, jobStatuses } from './jobStatus.js';

/** A count per status, every status present. */
export const JobStatusCountsSchema = z
  .object(
    Object.fromEntries(
      jobStatuses.map((status) => [status, z.number().int().nonnegative()]),
    ) as Record<JobStatus, z.ZodNumber>,
  )
  .strict();

/**
 * The bar widths of an activity chart, narrowest first: the narrowest one that cuts the range
 * into at most MAX_ACTIVITY_BUCKETS bars is used. Hour bars start at whole UTC hours; wider bars
 * at the midnights of the summary's time zone (UTC by default), every 1, 7, 30 or 365 days
 * counted from 1970-01-01 there. A day in a zone with daylight saving time may last 23 or 25
 * hours: the widths here are nominal, each bar's `end` is exact.
 */
export const activityBucketMs = {
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  '30 days': 30 * 86_400_000,
  '365 days': 365 * 86_400_000,
} as const;
export type ActivityBucket = keyof typeof activityBucketMs;
const activityBucketNames = Object.keys(activityBucketMs) as [ActivityBucket, ...ActivityBucket[]];

/** Most bars an activity chart has (a range wider than 365-day bars allow keeps to its jobs). */
export const MAX_ACTIVITY_BUCKETS = 240;

/** Upper bounds (exclusive) of the duration histogram's bins; a last bin holds the rest. */
export const DURATION_BIN_UPPER_MS = [
  1_000, 10_000, 60_000, 600_000, 3_600_000, 21_600_000, 86_400_000,
] as const;

const count = z.number().int().nonnegative();
const ms = z.number().int().nonnegative();

export const JobActivitySchema = z
  .object({
    bucket: z.enum(activityBucketNames).describe('Width of one bar.'),
    bucket_ms: z
      .number()
      .int()
      .positive()
      .describe(
        'Nominal width of one bar in ms; a bar spanning a daylight saving change is an hour shorter or longer (see end).',
      ),
    buckets: z
      .array(z.object({ start: ms, end: ms, by_status: JobStatusCountsSchema }).strict())
      .describe(
        'Jobs submitted in each bar ([start, end)), by current status: contiguous, oldest first, empty bars included; the range is submitted_after/submitted_before when given, else that of the jobs counted. Bars wider than an hour start at midnights of time_zone.',
      ),
    durations: z
      .object({
        count: count.describe('Ended jobs measured (end_time - start_time).'),
        p50_ms: ms.nullable(),
        p90_ms: ms.nullable(),
        p99_ms: ms.nullable(),
        max_ms: ms.nullable(),
        histogram: z
          .array(
            z
              .object({
                below_ms: ms.nullable().describe('Exclusive upper bound; null for the last bin.'),
                count,
              })
              .strict(),
          )
          .describe(`Bins below ${DURATION_BIN_UPPER_MS.join(', ')} ms, then the rest.`),
      })
      .strict()
      .describe('Durations of the ended jobs; the percentiles are null when none has ended.'),
    jobs: count.describe('Jobs counted in the bars.'),
    capped: z
      .boolean()
      .describe(
        'True when only the newest candidate jobs were read (as for the counts): the bars and durations then cover those only.',
      ),
  })
  .strict();
export type JobActivity = z.infer<typeof JobActivitySchema>;
