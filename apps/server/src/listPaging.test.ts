import { JobDetailsSchema } from '@jobs/contract';
import type { Response } from 'supertest';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import type { SeedJob } from './testing/seedJobs.js';
import { nextPageUrl, useSeededServer } from './testing/seededServer.js';

const seeded: SeedJob[] = Array.from({ length: 1000 }, (_, i) => ({
  submissionId: `seeded-${String(i).padStart(4, '0')}`,
  entrypoint: `python step.py --index ${i}`,
  status: i % 5 === 0 ? 'FAILED' : 'SUCCEEDED',
  startTime: 1_700_000_000_000 + i,
  metadata: { batch: String(i % 7) },
}));

const seededServer = useSeededServer(seeded);

describe('paging across 1,000 jobs', () => {
  it('loses and repeats none while jobs are submitted and deleted between pages', async () => {
    const seen: string[] = [];
    const submitted: string[] = [];
    let url: string | undefined = '/api/jobs?limit=64';
    while (url !== undefined) {
      const res: Response = await seededServer().http.get(url).expect(200);
      seen.push(
        ...z
          .array(JobDetailsSchema)
          .parse(res.body)
          .map((job) => job.submission_id),
      );
      // Newer jobs land before the cursor, so they never shift the pages still to come.
      submitted.push(await seededServer().submit({ entrypoint: 'true' }));
      url = nextPageUrl(res);
    }
    expect(seen).toEqual(seeded.map((job) => job.submissionId).reverse());
    expect(new Set(seen).size).toBe(1000);

    // The submissions made meanwhile head the next full walk.
    const all = await seededServer().http.get('/api/jobs').expect(200);
    const ids = z
      .array(JobDetailsSchema)
      .parse(JSON.parse(all.text))
      .map((job) => job.submission_id);
    expect(ids.slice(0, submitted.length)).toEqual([...submitted].reverse());
    expect(ids).toHaveLength(1000 + submitted.length);
  });

  it('skips a job deleted before its page is reached, repeating none', async () => {
    const first = await seededServer().http.get('/api/jobs?status=FAILED&limit=50').expect(200);
    const firstIds = (first.body as { submission_id: string }[]).map((job) => job.submission_id);
    // seeded-0000 is FAILED and the oldest: it would be on the last page.
    await seededServer().http.delete('/api/jobs/seeded-0000').expect(200, 'true');
    const rest: string[] = [];
    let url = nextPageUrl(first);
    while (url !== undefined) {
      const res: Response = await seededServer().http.get(url).expect(200);
      rest.push(...(res.body as { submission_id: string }[]).map((job) => job.submission_id));
      url = nextPageUrl(res);
    }
    const expected = seeded
      .filter((job) => job.status === 'FAILED' && job.submissionId !== 'seeded-0000')
      .map((job) => job.submissionId)
      .reverse();
    expect([...firstIds, ...rest]).toEqual(expected);
  });

  it('streams the whole list in chunks as one valid array', async () => {
    const res = await seededServer().http.get('/api/jobs?status=SUCCEEDED').expect(200);
    const jobs = z.array(JobDetailsSchema).parse(JSON.parse(res.text));
    expect(jobs.length).toBeGreaterThanOrEqual(800);
    expect(jobs.every((job) => job.status === 'SUCCEEDED')).toBe(true);
  });
});
