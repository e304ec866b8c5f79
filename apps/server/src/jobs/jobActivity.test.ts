import { MAX_ACTIVITY_BUCKETS } from '@jobs/contract';
import { describe, expect, it } from 'vitest';
import type { JobTimes } from '../store/jobQueries.js';
import { jobActivity } from './jobActivity.js';
import { zoneCalendar } from './zoneCalendar.js';

const hour = 3_600_000;
const day = 24 * hour;
const T0 = 1_764_460_800_000; // a whole UTC day

function job(startTime: number, status: JobTimes['status'], durationMs?: number): JobTimes {
  return { startTime, status, endTime: durationMs === undefined ? null : startTime + durationMs };
}

describe('jobActivity', () => {
  it('counts jobs per whole UTC hour by status over the span of the jobs, empty hours too', () => {
    const activity = jobActivity(
      [
        job(T0 + 10 * 60_000, 'SUCCEEDED', 5_000),
        job(T0 + 50 * 60_000, 'FAILED', 30_000),
        job(T0 + 2 * hour + 1, 'RUNNING'),
      ],
      {},
      false,
    );
    expect(activity.bucket).toBe('hour');
    expect(activity.bucket_ms).toBe(hour);
    expect(activity.buckets.map((bar) => [bar.start, bar.end])).toEqual([
      [T0, T0 + hour],
      [T0 + hour, T0 + 2 * hour],
      [T0 + 2 * hour, T0 + 3 * hour],
    ]);
    expect(activity.buckets.map((bar) => bar.by_status)).toEqual([
      { PENDING: 0, RUNNING: 0, SUCCEEDED: 1, FAILED: 1, STOPPED: 0 },
      { PENDING: 0, RUNNING: 0, SUCCEEDED: 0, FAILED: 0, STOPPED: 0 },
      { PENDING: 0, RUNNING: 1, SUCCEEDED: 0, FAILED: 0, STOPPED: 0 },
    ]);
    expect(activity.jobs).toBe(3);
    expect(activity.capped).toBe(false);
  });

  it('covers the chosen range, and widens the bars to days when hours would be too many', () => {
    const hours = jobActivity(
      [],
      { after: T0 - 1, before: T0 + MAX_ACTIVITY_BUCKETS * hour },
      true,
    );
    expect(hours.bucket).toBe('hour');
    expect(hours.buckets).toHaveLength(MAX_ACTIVITY_BUCKETS);
    expect(hours.buckets[0]?.start).toBe(T0);
    expect(hours.capped).toBe(true);
    const days = jobActivity(
      [job(T0 + 3 * day, 'STOPPED', 1)],
      { after: T0 - 1, before: T0 + 30 * day },
      false,
    );
    expect(days.bucket).toBe('day');
    expect(days.buckets).toHaveLength(30);
    expect(days.buckets[3]?.by_status.STOPPED).toBe(1);
  });

  it('keeps to the span of the jobs when the range is too wide even for 365-day bars', () => {
    const activity = jobActivity(
      [job(T0, 'SUCCEEDED', 1), job(T0 + 2 * hour, 'SUCCEEDED', 1)],
      { after: 0 - 1, before: T0 * 100 },
      false,
    );
    expect(activity.bucket).toBe('hour');
    expect(activity.buckets).toHaveLength(3);
    expect(activity.jobs).toBe(2);
  });

  it('has no bars and no durations without jobs or a range', () => {
    const activity = jobActivity([], {}, false);
    expect(activity.buckets).toEqual([]);
    expect(activity.durations).toMatchObject({ count: 0, p50_ms: null, max_ms: null });
    expect(activity.durations.histogram.every((bin) => bin.count === 0)).toBe(true);
  });

  it('spreads the durations of ended jobs in bins and percentiles', () => {
    const durations = [500, 2_000, 2_000, 45_000, 90_000, 7_200_000, 200_000_000];
    const activity = jobActivity(
      [...durations.map((ms, i) => job(T0 + i, 'SUCCEEDED', ms)), job(T0, 'RUNNING')],
      {},
      false,
    );
    expect(activity.durations).toEqual({
      count: 7,
      p50_ms: 45_000,
      p90_ms: 200_000_000,
      p99_ms: 200_000_000,
      max_ms: 200_000_000,
      histogram: [
        { below_ms: 1_000, count: 1 },
        { below_ms: 10_000, count: 2 },
        { below_ms: 60_000, count: 1 },
        { below_ms: 600_000, count: 1 },
        { below_ms: 3_600_000, count: 0 },
        { below_ms: 21_600_000, count: 1 },
        { below_ms: 86_400_000, count: 0 },
        { below_ms: null, count: 1 },
      ],
    });
  });

  it("starts day bars at the time zone's midnights, a daylight saving day 23 hours long", () => {
    const berlin = zoneCalendar('Europe/Berlin');
    // Berlin midnights (UTC+1, then UTC+2 from 02:00 on 29 March 2026).
    const midnight27 = Date.UTC(2026, 2, 26, 23);
    const midnight28 = Date.UTC(2026, 2, 27, 23);
    const midnight29 = Date.UTC(2026, 2, 28, 23);
    const midnight30 = Date.UTC(2026, 2, 29, 22);
    const activity = jobActivity(
      [
        // 23:30 UTC on the 27th is already the 28th in Berlin.
        job(Date.UTC(2026, 2, 27, 23, 30), 'SUCCEEDED', 1),
        job(midnight29, 'FAILED', 1),
        // 22:30 UTC on the 29th: after the short day's end, so on the 30th.
        job(Date.UTC(2026, 2, 29, 22, 30), 'STOPPED', 1),
      ],
      { after: midnight27 + 12 * hour, before: midnight27 + 12 * day },
      false,
      berlin,
    );
    expect(activity.bucket).toBe('day');
    expect(activity.buckets.slice(0, 4).map((bar) => [bar.start, bar.end])).toEqual([
      [midnight27, midnight28],
      [midnight28, midnight29],
      [midnight29, midnight30],
      [midnight30, midnight30 + day],
    ]);
    expect(midnight30 - midnight29).toBe(23 * hour);
    expect(activity.buckets.slice(1, 4).map((bar) => bar.by_status)).toEqual([
      { PENDING: 0, RUNNING: 0, SUCCEEDED: 1, FAILED: 0, STOPPED: 0 },
      { PENDING: 0, RUNNING: 0, SUCCEEDED: 0, FAILED: 1, STOPPED: 0 },
      { PENDING: 0, RUNNING: 0, SUCCEEDED: 0, FAILED: 0, STOPPED: 1 },
    ]);
    // Hours stay whole UTC hours whatever the zone.
    const hours = jobActivity([job(midnight29 + 30 * 60_000, 'FAILED')], {}, false, berlin);
    expect(hours.buckets).toEqual([
      expect.objectContaining({ start: midnight29, end: midnight29 + hour }),
    ]);
  });
});
