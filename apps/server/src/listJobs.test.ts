import { type JobDetails, JobDetailsSchema } from '@jobs/contract';
import type { Response } from 'supertest';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import type { SeedJob } from './testing/seedJobs.js';
import { useSeededServer } from './testing/seededServer.js';

const T0 = 1_700_000_000_000;
const statuses = ['SUCCEEDED', 'FAILED', 'STOPPED'] as const;

const seeded: SeedJob[] = Array.from({ length: 40 }, (_, i) => ({
  submissionId: `job-${String(i).padStart(2, '0')}`,
  entrypoint: i % 4 === 0 ? `python Train.py --epoch ${i}` : `echo 100%_done ${i}`,
  status: statuses[i % 3] ?? 'SUCCEEDED',
  startTime: T0 + i * 1000,
  metadata: { team: i % 2 === 0 ? 'ml' : 'data', env: i % 3 === 0 ? 'prod' : 'dev' },
}));

/** Ids the server should answer for a filter, newest first, computed independently. */
function expected(keep: (job: SeedJob) => boolean): string[] {
  return seeded
    .filter(keep)
    .map((job) => job.submissionId)
    .reverse();
}

const ListSchema = z.array(JobDetailsSchema);

const seededServer = useSeededServer(seeded);

async function listIds(query: string): Promise<string[]> {
  const res = await seededServer().http.get(`/api/jobs${query}`).expect(200);
  return ListSchema.parse(res.body).map((job: JobDetails) => job.submission_id);
}

describe('GET /api/jobs filters', () => {
  it('answers the bare array of every job, newest first, without parameters', async () => {
    const res = await seededServer().http.get('/api/jobs').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers.link).toBeUndefined();
    const jobs = ListSchema.parse(JSON.parse(res.text));
    expect(jobs.map((job) => job.submission_id)).toEqual(expected(() => true));
    // The stream is serialised by the store, pages by toJobDetails: both must say the same.
    const paged = await seededServer().http.get('/api/jobs?limit=1000').expect(200);
    expect(jobs).toEqual(paged.body);
    expect(res.text).toBe(paged.text);
    expect(jobs[0]).toMatchObject({ status: 'SUCCEEDED', metadata: { team: 'data', env: 'prod' } });
  });

  it.each([
    ['status', '?status=FAILED', (j: SeedJob) => j.status === 'FAILED'],
    [
      'several statuses',
      '?status=FAILED,STOPPED',
      (j: SeedJob) => j.status === 'FAILED' || j.status === 'STOPPED',
    ],
    ['an active status', '?status=RUNNING,PENDING', () => false],
    ['one metadata entry', '?metadata.team=ml', (j: SeedJob) => j.metadata?.team === 'ml'],
    [
      'two metadata entries',
      '?metadata.team=ml&metadata.env=prod',
      (j: SeedJob) => j.metadata?.team === 'ml' && j.metadata.env === 'prod',
    ],
    [
      'metadata in bracket form',
      '?metadata[team]=data&metadata.env=dev',
      (j: SeedJob) => j.metadata?.team === 'data' && j.metadata.env === 'dev',
    ],
    ['a metadata value nobody has', '?metadata.team=ML', () => false],
    ['a metadata key nobody has', '?metadata.owner=ml', () => false],
    [
      'submitted_after',
      `?submitted_after=${T0 + 30_000}`,
      (j: SeedJob) => j.startTime > T0 + 30_000,
    ],
    [
      'submitted_before',
      `?submitted_before=${T0 + 5_000}`,
      (j: SeedJob) => j.startTime < T0 + 5_000,
    ],
    [
      'a time window',
      `?submitted_after=${T0 + 9_000}&submitted_before=${T0 + 20_000}`,
      (j: SeedJob) => j.startTime > T0 + 9_000 && j.startTime < T0 + 20_000,
    ],
    ['q in the submission id', '?q=job-1', (j: SeedJob) => j.submissionId.startsWith('job-1')],
    [
      'q in the entrypoint, ignoring case',
      '?q=train.PY',
      (j: SeedJob) => j.entrypoint.includes('Train.py'),
    ],
    [
      'q with LIKE wildcards taken literally',
      '?q=0%25_d',
      (j: SeedJob) => j.entrypoint.includes('0%_d'),
    ],
    ['q matching nothing', '?q=_x', () => false],
    [
      'q with spaces',
      `?q=${encodeURIComponent('train.py --EPOCH 2')}`,
      (j: SeedJob) => j.entrypoint.toLowerCase().includes('train.py --epoch 2'),
    ],
    ['q with double quotes', `?q=${encodeURIComponent('"job-1" OR x')}`, () => false],
    [
      'every filter at once',
      `?status=SUCCEEDED,FAILED&metadata.team=ml&submitted_after=${T0 + 3_000}&q=train`,
      (j: SeedJob) =>
        j.status !== 'STOPPED' &&
        j.metadata?.team === 'ml' &&
        j.startTime > T0 + 3_000 &&
        j.entrypoint.includes('Train'),
    ],
  ])('filters by %s', async (_name, query, keep) => {
    const ids = await listIds(query);
    expect(ids).toEqual(expected(keep));
  });

  it('keeps the filters the typed client sends', async () => {
    const { createJobsClient } = await import('@jobs/client');
    const listener = seededServer().app.listen(0, '127.0.0.1');
    await new Promise((resolve) => listener.once('listening', resolve));
    try {
      const address = listener.address() as { port: number };
      const client = createJobsClient({ baseUrl: `http://127.0.0.1:${address.port}` });
      const res = await client.listJobs({
        query: { status: 'STOPPED', metadata: { team: 'data' }, limit: 3 },
      });
      expect(res.status).toBe(200);
      expect(res.status === 200 && res.body.map((job) => job.submission_id)).toEqual(
        expected((j) => j.status === 'STOPPED' && j.metadata?.team === 'data').slice(0, 3),
      );
    } finally {
      await new Promise((resolve) => listener.close(resolve));
    }
  });
});

describe('GET /api/jobs pages', () => {
  it('walks every matching job through Link headers, keeping the filters', async () => {
    const ids: string[] = [];
    let url: string | undefined = '/api/jobs?metadata.team=ml&limit=3';
    let pages = 0;
    while (url !== undefined) {
      const res: Response = await seededServer().http.get(url).expect(200);
      const page = ListSchema.parse(res.body);
      expect(page.length).toBeLessThanOrEqual(3);
      ids.push(...page.map((job) => job.submission_id));
      pages++;
      const link: string | undefined = res.headers.link;
      if (link !== undefined) {
        expect(link).toMatch(
          /^<\/api\/jobs\?metadata\.team=ml&limit=3&cursor=[\w-]+>; rel="next"$/,
        );
      }
      url = link === undefined ? undefined : /^<([^>]+)>/.exec(link)?.[1];
    }
    expect(ids).toEqual(expected((j) => j.metadata?.team === 'ml'));
    expect(pages).toBe(Math.ceil(ids.length / 3));
  });

  it('has no Link on a last page that is exactly full', async () => {
    const res = await seededServer().http.get('/api/jobs?status=FAILED&limit=13').expect(200);
    expect(res.body).toHaveLength(13);
    expect(res.headers.link).toBeUndefined();
  });
});

const badQueries: [string, string, RegExp][] = [
  ['an unknown status', 'status=DONE', /query\.status has 'DONE', which is not one of PENDING/],
  ['an empty status', 'status=', /query\.status has ''/],
  ['limit 0', 'limit=0', /query\.limit .*greater than or equal to 1/],
  ['limit 5000', 'limit=5000', /query\.limit .*less than or equal to 1000/],
  ['a limit that is not a number', 'limit=ten', /query\.limit must be a whole number/],
  ['a fractional limit', 'limit=1.5', /query\.limit must be a whole number/],
  ['a malformed cursor', 'cursor=!!', /query\.cursor is not a cursor this server gave out/],
  [
    'a well-formed cursor it never gave out',
    `cursor=${Buffer.from('p2:7').toString('base64url')}`,
    /query\.cursor is not a cursor/,
  ],
  [
    'an unknown order',
    'order=fastest',
    /query\.order must be one of newest, oldest, longest, shortest/,
  ],
  [
    'a cursor of an earlier form, which only continues newest first',
    `order=oldest&cursor=${Buffer.from('p1:42').toString('base64url')}`,
    /query\.cursor is not a cursor this server gave out/,
  ],
  ['an unknown key', 'sort=asc', /query\.sort is not a known field/],
  ['a bare metadata key', 'metadata.=x', /query\.metadata\. is not a known field/],
  [
    'a repeated metadata key',
    'metadata.team=a&metadata.team=b',
    /query\.metadata\.team must be given once/,
  ],
  ['a negative time', 'submitted_after=-1', /query\.submitted_after must be milliseconds/],
  [
    'a time that is a date',
    'submitted_before=2024-01-01',
    /query\.submitted_before must be milliseconds/,
  ],
  ['an empty q', 'q=', /query\.q must not be empty/],
  [
    'a repeated status',
    'status=FAILED&status=STOPPED',
    /query\.status must be comma-separated statuses/,
  ],
  [
    '1,000 metadata filters',
    Array.from({ length: 1000 }, (_, i) => `metadata.k${i}=v`).join('&'),
    /query\.metadata has 1000 filters, more than the limit of 20/,
  ],
  [
    '21 metadata filters in two spellings',
    [...Array.from({ length: 20 }, (_, i) => `metadata.k${i}=v`), 'metadata[x]=y'].join('&'),
    /query\.metadata has 21 filters, more than the limit of 20/,
  ],
  ['a search text over 256 characters', `q=${'x'.repeat(257)}`, /query\.q must be at most 256/],
];

describe('GET /api/jobs with bad parameters', () => {
  it.each(badQueries)('answers 400 naming the parameter for %s', async (_name, query, message) => {
    const res = await seededServer().http.get(`/api/jobs?${query}`).expect(400);
    expect(res.body.code).toBe('INVALID_REQUEST');
    expect(res.body.message).toMatch(message);
  });

  it('takes 20 metadata filters, in pages, unpaged and in the summary', async () => {
    const query = Array.from({ length: 20 }, (_, i) => `metadata.k${i}=v`).join('&');
    expect(await listIds(`?${query}`)).toEqual([]);
    await seededServer().http.get(`/api/jobs?limit=5&${query}`).expect(200, []);
    const summary = await seededServer().http.get(`/api/job-summary?${query}`).expect(200);
    expect(summary.body.total).toBe(0);
    const tooMany = await seededServer()
      .http.get(`/api/job-summary?${query}&metadata.k20=v`)
      .expect(400);
    expect(tooMany.body.message).toMatch(/query\.metadata has 21 filters/);
  });
});

describe('GET /api/job-summary', () => {
  it('counts every job per status', async () => {
    const res = await seededServer().http.get('/api/job-summary').expect(200);
    expect(res.body).toEqual({
      total: 40,
      by_status: { PENDING: 0, RUNNING: 0, SUCCEEDED: 14, FAILED: 13, STOPPED: 13 },
      capped: false,
    });
  });

  it('counts with the filters of the list', async () => {
    const query = `?metadata.team=ml&submitted_before=${T0 + 20_000}&status=SUCCEEDED,FAILED`;
    const res = await seededServer().http.get(`/api/job-summary${query}`).expect(200);
    const listed = await listIds(query);
    const count = (status: string) =>
      seeded.filter((j) => listed.includes(j.submissionId) && j.status === status).length;
    expect(res.body).toEqual({
      total: listed.length,
      by_status: {
        PENDING: 0,
        RUNNING: 0,
        SUCCEEDED: count('SUCCEEDED'),
        FAILED: count('FAILED'),
        STOPPED: 0,
      },
      capped: false,
    });
    expect(listed.length).toBeGreaterThan(2);
  });

  it('refuses paging parameters and bad filters', async () => {
    const limit = await seededServer().http.get('/api/job-summary?limit=5').expect(400);
    expect(limit.body.message).toMatch(/query\.limit is not a known field/);
    const status = await seededServer().http.get('/api/job-summary?status=OK').expect(400);
    expect(status.body.message).toMatch(/query\.status has 'OK'/);
  });
});

describe('ETags', () => {
  it('answers 304 to an unchanged list and 200 once a job changed', async () => {
    for (const query of ['', '?status=SUCCEEDED', '?limit=5', '?metadata.team=ml&limit=2']) {
      const first = await seededServer().http.get(`/api/jobs${query}`).expect(200);
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^"\d+-[\w-]+"$/);
      const again = await seededServer()
        .http.get(`/api/jobs${query}`)
        .set('If-None-Match', etag)
        .expect(304);
      expect(again.text).toBe('');
      expect(again.headers.etag).toBe(etag);
      // Another query's tag does not match this one.
      await seededServer().http.get(`/api/jobs?q=job`).set('If-None-Match', etag).expect(200);
    }
    const before = await seededServer().http.get('/api/jobs?status=SUCCEEDED').expect(200);
    const etag = before.headers.etag as string;
    const id = await seededServer().submit({ entrypoint: 'true' });
    await seededServer().waitForStatus(id, 'SUCCEEDED');
    const after = await seededServer()
      .http.get('/api/jobs?status=SUCCEEDED')
      .set('If-None-Match', etag)
      .expect(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(after.body[0].submission_id).toBe(id);
  });

  it('answers 304 to an unchanged job and 200 once it changed', async () => {
    const id = await seededServer().submit({ entrypoint: 'sleep 30' });
    const running = await seededServer().waitForStatus(id, 'RUNNING');
    const first = await seededServer().http.get(`/api/jobs/${id}`).expect(200);
    expect(first.body).toEqual(running);
    const streamed = ListSchema.parse(
      JSON.parse((await seededServer().http.get('/api/jobs')).text),
    );
    expect(streamed.find((job) => job.submission_id === id)).toEqual(running);
    const etag = first.headers.etag as string;
    expect(etag).toBeTruthy();
    await seededServer().http.get(`/api/jobs/${id}`).set('If-None-Match', etag).expect(304);
    await seededServer().http.post(`/api/jobs/${id}/stop`).expect(200);
    await seededServer().waitForStatus(id, 'STOPPED');
    const changed = await seededServer()
      .http.get(`/api/jobs/${id}`)
      .set('If-None-Match', etag)
      .expect(200);
    expect(changed.body.status).toBe('STOPPED');
    const listed = await seededServer().http.get('/api/jobs?status=STOPPED').expect(200);
    expect(JSON.parse(listed.text)[0]).toEqual(changed.body);
  });
});
