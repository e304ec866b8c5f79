import type { JobActivity } from '@jobs/client';
import { describe, expect, it } from 'vitest';
import { activitySummary, barRange, barLabel, binLabel, durationSummary } from './activityText.js';

const zero = { PENDING: 0, RUNNING: 0, SUCCEEDED: 0, FAILED: 0, STOPPED: 0 };
const hour = 3_600_000;
const start = new Date(2026, 10, 30, 9, 0, 0).getTime();

function activity(buckets: JobActivity['buckets']): JobActivity {
  return {
    bucket: 'hour',
    bucket_ms: hour,
    buckets,
    durations: { count: 0, p50_ms: null, p90_ms: null, p99_ms: null, max_ms: null, histogram: [] },
    jobs: buckets.length,
    capped: false,
  };
}

describe('the activity chart in words', () => {
  it('gives a bar’s bounds as local input values, to the millisecond', () => {
    expect(barRange({ start, end: start + hour, by_status: zero })).toEqual({
      after: '2026-11-30T08:59:59.999',
      before: '2026-11-30T10:00',
    });
    // A day bar ends where the server says, 23 or 25 hours later on a daylight saving day.
    const nextDay = new Date(2026, 11, 1).getTime();
    expect(barRange({ start, end: nextDay, by_status: zero }).before).toBe('2026-12-01T00:00');
  });

  it('labels day bars with the local day they start on', () => {
    const midnight = new Date(2026, 10, 30).getTime();
    expect(barLabel(midnight, 'day')).toBe('30 Nov 2026');
    expect(barLabel(midnight + 23 * hour, 'day')).toBe('30 Nov 2026');
  });

  it('names the range and the busiest bar', () => {
    const text = activitySummary(
      activity([
        { start, end: start + hour, by_status: { ...zero, SUCCEEDED: 1 } },
        {
          start: start + hour,
          end: start + 2 * hour,
          by_status: { ...zero, FAILED: 2, RUNNING: 1 },
        },
      ]),
    );
    expect(text).toBe(
      '2 jobs submitted from 30 Nov, 09:00 to 30 Nov, 10:00, per hour; the busiest, 30 Nov, 10:00, had 3 jobs: 1 running, 2 failed.',
    );
    expect(activitySummary(activity([]))).toBe('No jobs in this range.');
  });

  it('says the durations’ percentiles, or that none has ended', () => {
    expect(durationSummary(activity([]).durations)).toBe('No job in this range has ended yet.');
    expect(
      durationSummary({
        count: 2,
        p50_ms: 1_000,
        p90_ms: 65_000,
        p99_ms: 65_000,
        max_ms: 65_000,
        histogram: [],
      }),
    ).toBe(
      '2 jobs ended: median 1s, 90th percentile 1m 05s, 99th percentile 1m 05s, longest 1m 05s.',
    );
    expect(binLabel(60_000, 10_000)).toBe('under 1m');
    expect(binLabel(null, 86_400_000)).toBe('1d or more');
  });
});
