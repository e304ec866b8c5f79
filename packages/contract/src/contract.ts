import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { JobTimingSchema } from './jobTiming.js';
import { ErrorBodySchema } from './errors.js';
import { JobDetailsSchema } from './jobDetails.js';
import { accessResponses } from './accessResponses.js';
import {
  JobLogStreamQuerySchema,
  JobLogsQuerySchema,
  JobLogsResponseSchema,
  VersionResponseSchema,
} from './responses.js';
import {
  JobEventsHeadersSchema,
  JobSummaryQuerySchema,
  JobSummarySchema,
  ListJobsQuerySchema,
} from './listJobs.js';
import { SubmitJobRequestSchema, SubmitJobResponseSchema } from './submitJob.js';

const c = initContract();

const JobPathParams = z.object({
  submission_id: z.string().describe('The id returned by submit (or given in it).'),
});

export const jobsContract = c.router(
  {
    submitJob: {
      method: 'POST',
      path: '/api/jobs',
      body: SubmitJobRequestSchema,
      responses: {
        200: SubmitJobResponseSchema,
        400: ErrorBodySchema,
        409: ErrorBodySchema,
        413: ErrorBodySchema,
        415: ErrorBodySchema,
        500: ErrorBodySchema,
      },
      summary: 'Submit a job',
      description:
        'Accepts a job and starts its entrypoint. Answers with the submission id, generated as app-<uuid> when none is given.',
    },
    listJobs: {
      method: 'GET',
      path: '/api/jobs',
      query: ListJobsQuerySchema,
      responses: {
        200: z.array(JobDetailsSchema),
        304: c.noBody(),
        400: ErrorBodySchema,
        500: ErrorBodySchema,
      },
      summary: 'List jobs, newest submission first or in the order asked for',
      description:
        'Without query parameters: every job, newest submission first. Filters narrow the list and `order` sorts it; with `limit`, one page, and a `Link: <...>; rel="next"` header while more remain (its cursor is valid only with the same filters and order). Answers carry an ETag; If-None-Match with it answers 304 while nothing changed.',
    },
    getJob: {
      method: 'GET',
      path: '/api/jobs/:submission_id',
      pathParams: JobPathParams,
      responses: {
        200: JobDetailsSchema,
        304: c.noBody(),
        404: ErrorBodySchema,
        500: ErrorBodySchema,
      },
      summary: 'Get one job',
    },
    getJobTiming: {
      method: 'GET',
      path: '/api/jobs/:submission_id/timing',
      pathParams: JobPathParams,
      responses: {
        200: JobTimingSchema,
        404: ErrorBodySchema,
        500: ErrorBodySchema,
      },
      summary: 'When a job was submitted, started running and ended',
      description:
        "The time it queued is running_at - submitted_at, the time it ran ended_at - running_at (or until now while it runs). Not part of Ray's job API.",
    },
    stopJob: {
      method: 'POST',
      path: '/api/jobs/:submission_id/stop',
      pathParams: JobPathParams,
      body: c.noBody(),
      responses: {
        200: z.boolean(),
        404: ErrorBodySchema,
        500: ErrorBodySchema,
      },
      summary: 'Stop a job',
      description:
        'true when a stop was started (the job was PENDING or RUNNING), false when the job had already ended.',
    },
    deleteJob: {
      method: 'DELETE',
      path: '/api/jobs/:submission_id',
      pathParams: JobPathParams,
      body: c.noBody(),
      responses: {
        200: z.boolean(),
        404: ErrorBodySchema,
        500: ErrorBodySchema,
      },
      summary: 'Delete a finished job and its log',
      description:
        'true when the job had ended and its record and log are gone, false (nothing removed) while it is PENDING or RUNNING.',
    },
    getJobLogs: {
      method: 'GET',
      path: '/api/jobs/:submission_id/logs',
      pathParams: JobPathParams,
      query: JobLogsQuerySchema,
      responses: {
        200: JobLogsResponseSchema,
        400: ErrorBodySchema,
        404: ErrorBodySchema,
        500: ErrorBodySchema,
      },
      summary: "Read a job's stdout and stderr so far",
      description:
        'Without parameters, the whole log. With `tail=N`, its last N lines; with `offset` and `limit`, that byte range. Partial answers carry the headers X-Log-Start and X-Log-End (the byte range, end exclusive) and X-Log-Size (the whole log).',
    },
    streamJobLogs: {
      method: 'GET',
      path: '/api/jobs/:submission_id/logs/stream',
      pathParams: JobPathParams,
      query: JobLogStreamQuerySchema,
      headers: z.object({
        'last-event-id': z
          .string()
          .regex(/^\d+$/, 'must be a byte offset')
          .optional()
          .describe('Byte offset to resume from, as sent back by EventSource.'),
      }),
      responses: {
        200: c.otherResponse({ contentType: 'text/event-stream', body: z.string() }),
        400: ErrorBodySchema,
        404: ErrorBodySchema,
        500: ErrorBodySchema,
      },
      summary: "Follow a job's log live (Server-Sent Events)",
      description:
        'Sends the log from the start (or from `offset` / Last-Event-ID) as `log` events whose data is {"start", "text"} and whose id is the byte offset to resume from, then new output as it is written, then one `end` event whose data is the JobDetails of the ended job.',
    },
    getVersion: {
      method: 'GET',
      path: '/api/version',
      responses: {
        200: VersionResponseSchema,
        500: ErrorBodySchema,
      },
      summary: 'API and server version',
    },
    getJobSummary: {
      method: 'GET',
      path: '/api/job-summary',
      query: JobSummaryQuerySchema,
      responses: {
        200: JobSummarySchema,
        400: ErrorBodySchema,
        500: ErrorBodySchema,
      },
      summary: 'Count jobs per status, with the filters of the list',
    },
    streamJobEvents: {
      method: 'GET',
      path: '/api/job-events',
      headers: JobEventsHeadersSchema,
      responses: {
        200: c.otherResponse({ contentType: 'text/event-stream', body: z.string() }),
        400: ErrorBodySchema,
        500: ErrorBodySchema,
      },
      summary: 'Server-sent events of job changes (created, status_changed, updated, deleted)',
      description:
        'Each event has an id and, as data, a JobEvent. Send Last-Event-ID to resume after that event; without it the stream starts with the next change. Only the latest changes are kept (see --event-history): when the ones after the Last-Event-ID sent are gone, or the id is not one this store sent, the stream starts with a `reset` event (data: JobEventsReset) and goes on after its id; re-read whatever was read before it.',
    },
  },
  { strictStatusCodes: true, commonResponses: accessResponses },
);

export type JobsContract = typeof jobsContract;

/** Version of the wire format served under /api. */
export const API_VERSION = '1';
