import { type JobsClient, createJobsClient, okBody } from '@jobs/client';
import { type JobsServer, startJobsServer } from '@jobs/test-support';
import { QueryClient } from '@tanstack/react-query';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { JobEventBus } from './jobEventBus.js';
import { jobKeys } from './jobKeys.js';
import { jobsOfPages } from './jobPages.js';
import { followJobEventsIntoCache } from './liveCache.js';
import {
  type JobListData,
  type JobView,
  type JobsSource,
  jobListQuery,
  jobLogQuery,
  jobQuery,
  jobSummaryQuery,
} from './queries.js';

const within = { timeout: 30_000, interval: 50 };

describe('the cache kept live by the job events of a real server', () => {
  let server: JobsServer;
  let client: JobsClient;
  let source: JobsSource;
  let queryClient: QueryClient;
  const controller = new AbortController();
  let following: Promise<void> | undefined;
  const connections: string[] = [];

  const submit = async (submission_id: string, entrypoint: string) =>
    okBody(await client.submitJob({ body: { submission_id, entrypoint } })).submission_id;
  const listed = (query: Parameters<typeof jobKeys.list>[0], limit = 50) =>
    jobsOfPages(
      queryClient.getQueryData<JobListData>(jobKeys.list(query, limit, 'newest'))?.pages ?? [],
    ).map((job) => `${job.submission_id}:${job.status}`);

  beforeAll(async () => {
    server = await startJobsServer({ dataDirPrefix: 'jobs-react-', stopJobsOnShutdown: true });
    client = createJobsClient({ baseUrl: server.baseUrl });
    source = { client, events: new JobEventBus() };
    queryClient = new QueryClient();
    await submit('first', 'true');
    await submit('second', 'true');
    // Ended before anything is cached: these tests are about changes seen through the stream.
    await vi.waitFor(async () => {
      const jobs = okBody(await client.listJobs({ query: { status: 'SUCCEEDED' } }));
      expect(jobs).toHaveLength(2);
    }, within);
  });

  afterAll(async () => {
    controller.abort();
    await following?.catch(() => undefined);
    queryClient.clear();
    await server.stop();
  });

  it('reads a list a page at a time through the Link header', async () => {
    await queryClient.fetchInfiniteQuery({ ...jobListQuery(source, {}, 1), pages: 2 });
    const data = queryClient.getQueryData<JobListData>(jobKeys.list({}, 1, 'newest'));
    expect(data?.pages.map((page) => page.jobs.map((job) => job.submission_id))).toEqual([
      ['second'],
      ['first'],
    ]);
    expect(data?.pages[0]?.nextCursor).toBeDefined();
    expect(data?.pages[1]?.nextCursor).toBeUndefined();
  });

  it('invalidates everything cached when the stream starts afresh', async () => {
    await queryClient.fetchInfiniteQuery(jobListQuery(source, {}));
    await queryClient.fetchInfiniteQuery(jobListQuery(source, { status: ['FAILED'] }));
    await queryClient.fetchQuery(jobSummaryQuery(source, {}));
    expect(queryClient.getQueryState(jobKeys.summary({}))?.isInvalidated).toBe(false);
    following = followJobEventsIntoCache({
      client,
      queryClient,
      events: source.events,
      signal: controller.signal,
      onConnection: (connection) => connections.push(connection.state),
    });
    await vi.waitFor(() => {
      expect(connections).toContain('open');
    }, within);
    expect(queryClient.getQueryState(jobKeys.summary({}))?.isInvalidated).toBe(true);
  });

  it('patches cached lists and the job as it is created, runs and ends', async () => {
    await submit('live', 'sleep 1');
    await vi.waitFor(() => {
      expect(listed({})[0]).toMatch(/^live:(PENDING|RUNNING)$/);
    }, within);
    await queryClient.fetchQuery(jobQuery(source, 'live'));
    await vi.waitFor(() => {
      expect(listed({})).toEqual(['live:SUCCEEDED', 'second:SUCCEEDED', 'first:SUCCEEDED']);
      expect(queryClient.getQueryData<JobView>(jobKeys.job('live'))?.job.status).toBe('SUCCEEDED');
    }, within);
    // The failed-only list never listed it.
    expect(listed({ status: ['FAILED'] })).toEqual([]);
  });

  it('moves a job into the lists whose filter it comes to match', async () => {
    await submit('broken', 'exit 3');
    await vi.waitFor(() => {
      expect(listed({ status: ['FAILED'] })).toEqual(['broken:FAILED']);
    }, within);
    expect(listed({})[0]).toBe('broken:FAILED');
  });

  it('reads counts again once jobs change', async () => {
    await queryClient.fetchQuery(jobSummaryQuery(source, {}));
    expect(queryClient.getQueryState(jobKeys.summary({}))?.isInvalidated).toBe(false);
    await submit('counted', 'true');
    await vi.waitFor(() => {
      expect(queryClient.getQueryState(jobKeys.summary({}))?.isInvalidated).toBe(true);
    }, within);
  });

  it('reads the whole log or its end', async () => {
    await submit('logged', 'seq 1 5');
    await vi.waitFor(async () => {
      const job = okBody(await client.getJob({ params: { submission_id: 'logged' } }));
      expect(job.status).toBe('SUCCEEDED');
    }, within);
    const whole = await queryClient.fetchQuery(jobLogQuery(source, 'logged'));
    expect(whole).toEqual({ text: '1\n2\n3\n4\n5\n', from: 0, end: 10 });
    const tail = await queryClient.fetchQuery(jobLogQuery(source, 'logged', 4));
    expect(tail).toEqual({ text: '4\n5\n', from: 6, end: 10 });
  });

  it('marks a deleted job and takes it out of the lists', async () => {
    await queryClient.fetchQuery(jobQuery(source, 'broken'));
    expect(okBody(await client.deleteJob({ params: { submission_id: 'broken' } }))).toBe(true);
    await vi.waitFor(() => {
      expect(queryClient.getQueryData<JobView>(jobKeys.job('broken'))?.deleted).toBe(true);
      expect(listed({ status: ['FAILED'] })).toEqual([]);
      expect(listed({})).not.toContain('broken:FAILED');
    }, within);
  });
});
