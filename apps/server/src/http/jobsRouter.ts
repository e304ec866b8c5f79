import type { Readable } from 'node:stream';
import { API_VERSION, type JobLogsResponse, jobsContract } from '@jobs/contract';
import { initServer } from '@ts-rest/express';
import type { JobListing } from '../jobs/jobListing.js';
import type { JobService } from '../jobs/jobService.js';
import type { ReadLimits } from './concurrencyLimit.js';
import { logEventStream, logsAsJson, setLogRangeHeaders } from './logResponses.js';
import { createJobListRoutes } from './jobListRoutes.js';
import type { PageAnswers } from './pageAnswers.js';
import { tieToResponse } from './tieToResponse.js';

const s = initServer();

/** One handler per route of the contract; errors are thrown and mapped in http/errorResponse.ts. */
export function createJobsRouter(
  jobs: JobService,
  listing: JobListing,
  serverVersion: string,
  limits: ReadLimits,
  pageAnswers: PageAnswers,
) {
  return s.router(jobsContract, {
    ...createJobListRoutes(listing, pageAnswers),
    submitJob: async ({ body }) => ({
      status: 200,
      body: { submission_id: await jobs.submit(body) },
    }),
    getJob: async ({ params }) => ({ status: 200, body: await jobs.get(params.submission_id) }),
    getJobTiming: async ({ params }) => ({
      status: 200,
      body: await listing.timing(params.submission_id),
    }),
    stopJob: async ({ params }) => ({ status: 200, body: await jobs.stop(params.submission_id) }),
    deleteJob: async ({ params }) => ({
      status: 200,
      body: await jobs.delete(params.submission_id),
    }),
    getJobLogs: async ({ params, query, res }) => {
      limits.logReads.hold(res);
      const whole =
        query.tail === undefined && query.offset === undefined && query.limit === undefined;
      let text: Readable;
      if (whole) {
        text = await jobs.logStream(params.submission_id);
      } else {
        const range = await jobs.logRange(params.submission_id, query);
        setLogRangeHeaders(res, range);
        text = range.stream;
      }
      res.setHeader('content-type', 'application/json; charset=utf-8');
      // Streamed so that a log of any size never sits in memory; the bytes are a JobLogsResponse.
      const body = tieToResponse(logsAsJson(text), res);
      return { status: 200, body: body as unknown as JobLogsResponse };
    },
    streamJobLogs: async ({ params, query, headers, res }) => {
      const lastEventId = headers['last-event-id'];
      const from = query.offset ?? (lastEventId === undefined ? 0 : Number(lastEventId));
      const disconnected = new AbortController();
      const events = await jobs.followLogs(params.submission_id, from, disconnected.signal);
      const stream = logEventStream(events);
      res.on('close', () => {
        disconnected.abort();
        stream.destroy();
      });
      res.setHeader('content-type', 'text/event-stream; charset=utf-8');
      res.setHeader('cache-control', 'no-cache');
      res.setHeader('x-accel-buffering', 'no');
      // Streamed: the bytes are the text/event-stream body the contract declares.
      return { status: 200, body: stream as unknown as string };
    },
    getVersion: () =>
      Promise.resolve({
        status: 200 as const,
        body: { version: API_VERSION, server_version: serverVersion },
      }),
  });
}
