import { JobSummarySchema } from '@jobs/contract';
import { describe, expect, it } from 'vitest';
import type { SeedJob } from './testing/seedJobs.js';
import { useSeededServer } from './testing/seededServer.js';

const hour = 3_600_000;
const day = 24 * hour;
const T0 = 1_764_460_800_000; // a whole UTC hour

/** Per hour: 3 succeeded, then 2 failed and 1 stopped, then 1 succeeded; team ml or data. */
const seeded: SeedJob[] = [
  ...[0, 1, 2].map((i) => ({ startTime: T0 + i * 60_000, status: 'SUCCEEDED' as const })),
  ...[0, 1].map((i) => ({ startTime: T0 + hour + i * 60_000, status: 'FAILED' as const })),
  { startTime: T0 + hour + 30 * 60_000, status: 'STOPPED' as const },
  { startTime: T0 + 2 * hour, status: 'SUCCEEDED' as const },
].map((job, i) => ({
  ...job,
  submissionId: `act-${i}`,
  entrypoint: 'true',
  metadata: { team: i % 2 === 0 ? 'ml' : 'data' },
}));

const seededServer = useSeededServer(seeded);

const zero = { PENDING: 0, RUNNING: 0, SUCCEEDED: 0, FAILED: 0, STOPPED: 0 };

describe('GET /api/job-summary?activity=true', () => {
  it('adds jobs per hour by status and their durations to the counts', async () => {
    const res = await seededServer().http.get('/api/job-summary?activity=true').expect(200);
    const summary = JobSummarySchema.parse(res.body);
    expect(summary.total).toBe(7);
    expect(summary.activity?.bucket).toBe('hour');
    expect(summary.activity?.buckets).toEqual([
      { start: T0, end: T0 + hour, by_status: { ...zero, SUCCEEDED: 3 } },
      { start: T0 + hour, end: T0 + 2 * hour, by_status: { ...zero, FAILED: 2, STOPPED: 1 } },
      { start: T0 + 2 * hour, end: T0 + 3 * hour, by_status: { ...zero, SUCCEEDED: 1 } },
    ]);
    // Seeded jobs end when they start.
    expect(summary.activity?.durations).toMatchObject({ count: 7, p50_ms: 0, max_ms: 0 });
    expect(summary.activity?.capped).toBe(false);
  });

  it('draws only the filtered jobs, over the filter’s time range', async () => {
    const query = `metadata.team=ml&status=SUCCEEDED,FAILED&submitted_after=${T0 - hour - 1}&submitted_before=${T0 + 3 * hour}`;
    const res = await seededServer()
      .http.get(`/api/job-summary?activity=true&${query}`)
      .expect(200);
    const { activity } = JobSummarySchema.parse(res.body);
    // act-0, act-2 (SUCCEEDED, hour 0), act-4 (FAILED, hour 1), act-6 (SUCCEEDED, hour 2).
    expect(activity?.buckets).toEqual([
      { start: T0 - hour, end: T0, by_status: zero },
      { start: T0, end: T0 + hour, by_status: { ...zero, SUCCEEDED: 2 } },
      { start: T0 + hour, end: T0 + 2 * hour, by_status: { ...zero, FAILED: 1 } },
      { start: T0 + 2 * hour, end: T0 + 3 * hour, by_status: { ...zero, SUCCEEDED: 1 } },
    ]);
    expect(activity?.jobs).toBe(4);
  });

  it('answers as before without the flag, and refuses a flag that is not true or false', async () => {
    const plain = await seededServer().http.get('/api/job-summary?activity=false').expect(200);
    expect(Object.keys(plain.body as object)).toEqual(['total', 'by_status', 'capped']);
    const bad = await seededServer().http.get('/api/job-summary?activity=yes').expect(400);
    expect(bad.body).toMatchObject({ code: 'INVALID_REQUEST' });
    expect((bad.body as { message: string }).message).toMatch(
      /query\.activity must be true or false/,
    );
  });

  it('starts day bars at the midnights of time_zone, and refuses a zone it does not know', async () => {
    // T0 (midnight UTC) is 09:00 in Tokyo (UTC+9), whose midnight was 15:00 UTC the day before.
    const tokyoMidnight = T0 - 9 * hour;
    const range = `submitted_after=${T0 - 15 * day - 1}&submitted_before=${T0 + 15 * day}`;
    const res = await seededServer()
      .http.get(`/api/job-summary?activity=true&time_zone=Asia/Tokyo&${range}`)
      .expect(200);
    const { activity } = JobSummarySchema.parse(res.body);
    expect(activity?.bucket).toBe('day');
    expect(activity?.buckets.every((bar) => (bar.start - tokyoMidnight) % day === 0)).toBe(true);
    // Every seeded job (the three hours from T0) is on that day in Tokyo.
    const busy = activity?.buckets.filter((bar) => bar.by_status.SUCCEEDED > 0);
    expect(busy).toEqual([
      { start: tokyoMidnight, end: tokyoMidnight + day, by_status: expect.anything() as unknown },
    ]);
    const utc = JobSummarySchema.parse(
      (await seededServer().http.get(`/api/job-summary?activity=true&${range}`).expect(200)).body,
    ).activity;
    expect(utc?.buckets.every((bar) => bar.start % day === 0)).toBe(true);
    const bad = await seededServer()
      .http.get('/api/job-summary?activity=true&time_zone=Mars/Olympus_Mons')
      .expect(400);
    expect(bad.body).toMatchObject({ code: 'INVALID_REQUEST' });
    expect((bad.body as { message: string }).message).toMatch(
      /query\.time_zone must be an IANA time zone name/,
    );
  });
});
