import type { Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../testing/testDatabase.js';
import { type TestServer, startTestServer } from '../../testing/testServer.js';
import { driver, newJob } from '../describeJobStore.js';
import { PostgresJobStore } from './postgresJobStore.js';

/** More than two of the unpaged list's reads (1,000 jobs each), ending mid-read. */
const JOBS = 2_345;

/** Text that JSON escapes: quotes, backslashes, control characters, and beyond ASCII. */
const awkward = 'a "quoted" \\ back\tslash\nline \u0001\u001f\u007f é 中文 😀 \u2028';

let server: TestServer;
beforeAll(async () => {
  const url = await createTestDatabase('unpaged_list');
  const store = await PostgresJobStore.open({
    url,
    poolSize: 4,
    exclusive: true,
    onConnectionError: () => undefined,
  });
  const jobs = await Promise.all(
    Array.from({ length: JOBS }, (_, i) =>
      store.insert(
        newJob({
          submissionId: i % 100 === 0 ? `job "${String(i)}" é 😀` : `job-${String(i)}`,
          entrypoint: i % 7 === 0 ? `echo '${awkward}'` : 'true',
          startTime: 1_700_000_000_000 + i * 1_000,
          metadata:
            i % 3 === 0
              ? { [awkward]: awkward, b: 'x', '10': 'ten', '2': 'two' }
              : { team: i % 2 === 0 ? 'ml' : 'data' },
          runtimeEnv: { env_vars: { Z: awkward, A: '1' }, config: { n: 1.5, deep: [null, true] } },
        }),
      ),
    ),
  );
  // Every job ended: the server then starts and recovers nothing, and the list stays still.
  await Promise.all(
    jobs.map(async ({ submissionId }, i) => {
      // A quarter never ran: no driver.
      if (i % 4 !== 0) {
        await store.markRunning(submissionId, { ...driver, id: `driver ${awkward}` }, 'Running.');
      }
      await store.finish(submissionId, {
        status: i % 4 === 0 ? 'STOPPED' : i % 4 === 1 ? 'SUCCEEDED' : 'FAILED',
        message: i % 4 === 1 ? 'Done.' : `Ended: ${awkward}`,
        exitCode: i % 4 === 0 ? null : i % 4 === 1 ? 0 : 3,
        errorType: i % 4 < 2 ? '' : 'JOB_ENTRYPOINT_COMMAND_ERROR',
        // Durations that differ and repeat, for the duration orders.
        endTime: 1_700_000_000_000 + i * 1_000 + (i % 37) * 10,
      });
    }),
  );
  await store.close();
  server = await startTestServer({ database: { url, poolSize: 4 } });
});
afterAll(async () => {
  await server.dispose();
});

/** Every job through pages of `limit`, following the Link headers. */
async function pagedJobs(query: string, limit: number): Promise<unknown[]> {
  const jobs: unknown[] = [];
  let url: string | undefined = `/api/jobs?${query}${query === '' ? '' : '&'}limit=${limit}`;
  while (url !== undefined) {
    const res: Response = await server.http.get(url).expect(200);
    jobs.push(...(JSON.parse(res.text) as unknown[]));
    const link: string | undefined = res.headers.link;
    url = link === undefined ? undefined : /^<([^>]+)>/.exec(link)?.[1];
  }
  return jobs;
}

describe('the unpaged list on PostgreSQL', () => {
  it.each(['', 'order=oldest', 'order=longest', 'order=shortest', 'status=FAILED,STOPPED'])(
    'is byte for byte the pages of the same list joined (%s)',
    async (query) => {
      const unpaged = await server.http.get(`/api/jobs?${query}`).expect(200);
      const paged = await pagedJobs(query, 1_000);
      expect(paged.length).toBeGreaterThan(500);
      expect(unpaged.text).toBe(JSON.stringify(paged));
    },
  );

  it('holds each job as GET of that job answers it', async () => {
    const unpaged = await server.http.get('/api/jobs').expect(200);
    const jobs = JSON.parse(unpaged.text) as { submission_id: string }[];
    expect(jobs).toHaveLength(JOBS);
    for (const [i, job] of jobs.entries()) {
      // Every awkward job, and a sample of the rest, fetched one by one.
      if (!job.submission_id.includes('"') && i % 50 !== 0) continue;
      const one = await server.http
        .get(`/api/jobs/${encodeURIComponent(job.submission_id)}`)
        .expect(200);
      expect(JSON.stringify(job)).toBe(one.text);
    }
  });
});
