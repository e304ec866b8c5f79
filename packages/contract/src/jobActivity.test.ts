import { describe, expect, it } from 'vitest';
import { JobSummaryQuerySchema, JobSummarySchema } from './listJobs.js';

describe('JobSummaryQuerySchema activity', () => {
  it('takes true or false as text (query strings) or as a boolean (typed clients)', () => {
    expect(JobSummaryQuerySchema.parse({ activity: 'true' }).activity).toBe(true);
    expect(JobSummaryQuerySchema.parse({ activity: 'false' }).activity).toBe(false);
    expect(JobSummaryQuerySchema.parse({ activity: true }).activity).toBe(true);
    expect(JobSummaryQuerySchema.parse({}).activity).toBeUndefined();
  });

  it('refuses anything else, naming the parameter', () => {
    const result = JobSummaryQuerySchema.safeParse({ activity: 'yes' });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ['activity'], message: 'must be true or false' }),
    ]);
  });
});

describe('JobSummaryQuerySchema time_zone', () => {
  it('takes an IANA time zone name', () => {
    expect(JobSummaryQuerySchema.parse({ time_zone: 'Europe/Berlin' }).time_zone).toBe(
      'Europe/Berlin',
    );
    expect(JobSummaryQuerySchema.parse({ time_zone: 'UTC' }).time_zone).toBe('UTC');
    expect(JobSummaryQuerySchema.parse({}).time_zone).toBeUndefined();
  });

  it('refuses a name that is no time zone, naming the parameter', () => {
    for (const time_zone of ['Mars/Olympus_Mons', '', '+01:00']) {
      const result = JobSummaryQuerySchema.safeParse({ time_zone });
      expect(result.error?.issues).toEqual([
        expect.objectContaining({
          path: ['time_zone'],
          message: 'must be an IANA time zone name, e.g. Europe/Berlin or UTC',
        }),
      ]);
    }
  });
});

describe('JobSummarySchema activity', () => {
  const counts = { PENDING: 0, RUNNING: 0, SUCCEEDED: 1, FAILED: 0, STOPPED: 0 };
  const summary = { total: 1, by_status: counts, capped: false };
  const activity = {
    bucket: 'hour',
    bucket_ms: 3_600_000,
    buckets: [{ start: 0, end: 3_600_000, by_status: counts }],
    durations: {
      count: 1,
      p50_ms: 5,
      p90_ms: 5,
      p99_ms: 5,
      max_ms: 5,
      histogram: [
        { below_ms: 1_000, count: 1 },
        { below_ms: null, count: 0 },
      ],
    },
    jobs: 1,
    capped: false,
  };

  it('is optional, so a summary without it reads as before', () => {
    expect(JobSummarySchema.parse(summary)).toEqual(summary);
    expect(JobSummarySchema.parse({ ...summary, activity })).toEqual({ ...summary, activity });
  });

  it('refuses an unknown bar width and unknown keys', () => {
    expect(
      JobSummarySchema.safeParse({ ...summary, activity: { ...activity, bucket: 'minute' } })
        .success,
    ).toBe(false);
    expect(
      JobSummarySchema.safeParse({ ...summary, activity: { ...activity, extra: 1 } }).success,
    ).toBe(false);
  });
});
