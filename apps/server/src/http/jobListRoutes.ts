import {
  type JobDetails,
  type JobEventsReset,
  JOBS_STORE_HEADER,
  jobsContract,
} from '@jobs/contract';
import { initServer } from '@ts-rest/express';
import type { JobListing } from '../jobs/jobListing.js';
import { toJobDetails } from '../jobs/toJobDetails.js';
import { ifNoneMatch } from './ifNoneMatch.js';
import { jsonArrayStream } from './jsonArrayStream.js';
import { nextPageLink } from './nextPageLink.js';
import { type PageAnswers, pageBody, setPageHeaders, versionKey } from './pageAnswers.js';
import { serverSentEventStream } from './serverSentEvents.js';
import { tieToResponse } from './tieToResponse.js';

const s = initServer();

/** Idle time after which an event stream sends a keep-alive comment. */
const KEEP_ALIVE_MS = 15_000;

/** The routes over many jobs: list, summary and the change events. */
export function createJobListRoutes(listing: JobListing, pageAnswers: PageAnswers) {
  return {
    listJobs: s.route(jobsContract.listJobs, async ({ query, req, res }) => {
      const version = await listing.storeVersion();
      const etag = listing.entityTagAt(version, ['list', query]);
      res.setHeader('ETag', etag);
      if (ifNoneMatch(req.headers['if-none-match'], etag)) {
        return { status: 304 as const, body: undefined };
      }
      const { limit } = query;
      if (limit === undefined) {
        const chunks = await jsonArrayStream(listing.all(query));
        res.type('application/json');
        // The array is written as it is read, never held whole; tests parse it against the contract.
        const stream = tieToResponse(chunks, res);
        return { status: 200 as const, body: stream as unknown as JobDetails[] };
      }
      const page = await listing.page({ ...query, limit }, etag);
      const answer = {
        version: versionKey(version),
        etag,
        link:
          page.nextCursor === undefined
            ? undefined
            : nextPageLink(req.originalUrl, page.nextCursor),
        body: Buffer.from(JSON.stringify(page.jobs)),
      };
      pageAnswers.remember(req.originalUrl, answer);
      setPageHeaders(res, answer);
      // Serialised once here; the same bytes answer the same URL until the store changes.
      return { status: 200 as const, body: pageBody(answer) as unknown as JobDetails[] };
    }),

    getJobSummary: s.route(jobsContract.getJobSummary, async ({ query }) => ({
      status: 200 as const,
      body: await listing.summary(query),
    })),

    streamJobEvents: s.route(jobsContract.streamJobEvents, async ({ headers, res }) => {
      const resumeAfter = headers['last-event-id'];
      const { storeId, lastEventId } = await listing.storeVersion();
      const start = resumeAfter === undefined ? lastEventId : Number(resumeAfter);
      // Ids of another store (a replaced data dir) mean nothing here, whatever their value.
      const otherStore =
        headers[JOBS_STORE_HEADER] !== undefined && headers[JOBS_STORE_HEADER] !== storeId;
      const abort = new AbortController();
      res.once('close', () => {
        abort.abort();
      });
      res.status(200);
      res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
      res.setHeader('Cache-Control', 'no-cache');
      // Tells buffering reverse proxies (nginx) to pass each event on at once.
      res.setHeader('X-Accel-Buffering', 'no');
      res.setHeader(JOBS_STORE_HEADER, storeId);
      const events = mapEvents(listing.events(start, abort.signal, KEEP_ALIVE_MS, otherStore));
      const stream = tieToResponse(serverSentEventStream(events), res);
      return { status: 200 as const, body: stream as unknown as string };
    }),
  };
}

async function* mapEvents(items: ReturnType<JobListing['events']>) {
  for await (const item of items) {
    switch (item.kind) {
      case 'idle':
        yield undefined;
        break;
      case 'reset':
        yield {
          id: String(item.latest),
          event: 'reset',
          data: { last_event_id: item.latest } satisfies JobEventsReset,
        };
        break;
      case 'event': {
        const { event } = item;
        yield {
          id: String(event.id),
          data: { event_id: event.id, type: event.type, job: toJobDetails(event.job) },
        };
      }
    }
  }
}
