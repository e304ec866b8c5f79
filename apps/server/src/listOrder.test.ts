import { JobDetailsSchema, type JobListOrder, jobListOrders } from '@jobs/contract';
import type { Response } from 'supertest';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import type { SeedJob } from './testing/seedJobs.js';
import { nextPageUrl, useSeededServer } from './testing/seededServer.js';

const T0 = 1_700_000_000_000;
const statuses = ['SUCCEEDED', 'FAILED', 'STOPPED'] as const;

/** Submitted a second apart, with durations that repeat, so ties must go by position. */
const seeded: SeedJob[] = Array.from({ length: 45 }, (_, i) => ({
  submissionId: `job-${String(i).padStart(2, '0')}`,
  entrypoint: 'true',
  status: statuses[i % 3] ?? 'SUCCEEDED',
  startTime: T0 + i * 1000,
  endTime: T0 + i * 1000 + ((i * 7) % 5) * 60_000,
  metadata: { team: i % 2 === 0 ? 'ml' : 'data' },
}));

/** The ids of `jobs` in `order`, computed apart from the server (all seeded jobs have ended). */
function inOrder(jobs: readonly SeedJob[], order: JobListOrder): string[] {
  const placed = jobs.map((job, index) => ({
    id: job.submissionId,
    index,
    duration: (job.endTime ?? job.startTime) - job.startTime,
  }));
  const sorted = {
    newest: (a: (typeof placed)[0], b: (typeof placed)[0]) => b.index - a.index,
    oldest: (a: (typeof placed)[0], b: (typeof placed)[0]) => a.index - b.index,
    longest: (a: (typeof placed)[0], b: (typeof placed)[0]) =>
      b.duration - a.duration || b.index - a.index,
    shortest: (a: (typeof placed)[0], b: (typeof placed)[0]) =>
      a.duration - b.duration || a.index - b.index,
  }[order];
  return placed.sort(sorted).map((job) => job.id);
}

const seededServer = useSeededServer(seeded);

const ids = (res: Response) =>
  z
    .array(JobDetailsSchema)
    .parse(JSON.parse(res.text))
    .map((job) => job.submission_id);

/** Every page from `url` on through the Link headers, each Link checked to keep the query. */
async function walk(url: string): Promise<{ ids: string[]; links: string[] }> {
  const seen: string[] = [];
  const links: string[] = [];
  let next: string | undefined = url;
  while (next !== undefined) {
    const res: Response = await seededServer().http.get(next).expect(200);
    seen.push(...ids(res));
    next = nextPageUrl(res);
    if (next !== undefined) links.push(next);
  }
  return { ids: seen, links };
}

describe('GET /api/jobs?order', () => {
  it.each(jobListOrders)(
    'walks %s through pages of 7 as the whole list orders it',
    async (order) => {
      const expected = inOrder(seeded, order);
      const paged = await walk(`/api/jobs?order=${order}&limit=7`);
      expect(paged.ids).toEqual(expected);
      expect(paged.links).toHaveLength(Math.ceil(seeded.length / 7) - 1);
      for (const link of paged.links) {
        expect(link).toMatch(new RegExp(`^/api/jobs\\?order=${order}&limit=7&cursor=[\\w-]+$`));
      }
      const unpaged = await seededServer().http.get(`/api/jobs?order=${order}`).expect(200);
      expect(ids(unpaged)).toEqual(expected);
    },
  );

  it.each(jobListOrders)('keeps the filters in %s across pages', async (order) => {
    const kept = seeded.filter((job) => job.metadata?.team === 'ml' && job.status !== 'FAILED');
    const paged = await walk(
      `/api/jobs?status=SUCCEEDED,STOPPED&metadata.team=ml&order=${order}&limit=4`,
    );
    expect(paged.ids).toEqual(inOrder(kept, order));
  });

  it('answers byte for byte as before without the parameter: newest first', async () => {
    const bare = await seededServer().http.get('/api/jobs').expect(200);
    const newest = await seededServer().http.get('/api/jobs?order=newest').expect(200);
    expect(bare.text).toBe(newest.text);
    expect(ids(bare)).toEqual(inOrder(seeded, 'newest'));
    const page = await seededServer().http.get('/api/jobs?limit=5').expect(200);
    const newestPage = await seededServer().http.get('/api/jobs?limit=5&order=newest').expect(200);
    expect(page.text).toBe(newestPage.text);
  });

  it('refuses a cursor passed to another order, naming both', async () => {
    const first = await seededServer().http.get('/api/jobs?order=oldest&limit=5').expect(200);
    const next = nextPageUrl(first) ?? '';
    const res = await seededServer()
      .http.get(next.replace('order=oldest', 'order=longest'))
      .expect(400);
    expect(res.body).toEqual({
      code: 'INVALID_REQUEST',
      message: expect.stringMatching(
        /^Invalid request: query\.cursor continues a list in order oldest, not longest;/,
      ) as unknown,
    });
    const dropped = await seededServer().http.get(next.replace('order=oldest&', '')).expect(400);
    expect(dropped.body.message).toMatch(/in order oldest, not newest/);
  });

  it('continues newest first from a cursor of a server from before orders, and only newest', async () => {
    const first = await seededServer().http.get('/api/jobs?limit=5').expect(200);
    const next = nextPageUrl(first) ?? '';
    const cursor = /cursor=([\w-]+)/.exec(next)?.[1] ?? '';
    const seq = /:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString())?.[1] ?? '';
    const before = Buffer.from(`p1:${seq}`).toString('base64url');
    const expected = await seededServer().http.get(next).expect(200);
    const res = await seededServer().http.get(`/api/jobs?limit=5&cursor=${before}`).expect(200);
    expect(ids(res)).toEqual(inOrder(seeded, 'newest').slice(5, 10));
    expect(res.text).toBe(expected.text);
    await seededServer().http.get(`/api/jobs?order=oldest&limit=5&cursor=${before}`).expect(400);
  });

  it('refuses a cursor passed to other filters, and takes the same filters written otherwise', async () => {
    const first = await seededServer()
      .http.get('/api/jobs?status=FAILED,STOPPED&metadata.team=ml&order=shortest&limit=3')
      .expect(200);
    const cursor = /cursor=([\w-]+)/.exec(nextPageUrl(first) ?? '')?.[1] ?? '';
    const other = await seededServer()
      .http.get(`/api/jobs?status=FAILED&metadata.team=ml&order=shortest&limit=3&cursor=${cursor}`)
      .expect(400);
    expect(other.body.message).toMatch(/query\.cursor continues a list with other filters/);
    const unpaged = await seededServer()
      .http.get(
        `/api/jobs?metadata.team=data&status=STOPPED,FAILED&order=shortest&cursor=${cursor}`,
      )
      .expect(400);
    expect(unpaged.body.message).toMatch(/other filters/);
    const same = await seededServer()
      .http.get(
        `/api/jobs?order=shortest&metadata[team]=ml&status=STOPPED,FAILED&limit=3&cursor=${cursor}`,
      )
      .expect(200);
    const kept = seeded.filter((job) => job.metadata?.team === 'ml' && job.status !== 'SUCCEEDED');
    expect([...ids(first), ...ids(same)]).toEqual(inOrder(kept, 'shortest').slice(0, 6));
  });
});
