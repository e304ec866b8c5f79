import {
  type JobDetails,
  type JobEvent,
  type JobEventsConnection,
  type JobSummary,
  type SubmitJobRequest,
  createJobsClient,
  followJobEvents,
  followJobLogs,
  nextPageQuery,
  okBody,
  readLogRanges,
} from '@jobs/client';
import { type JobFilter, toFilterQuery } from '../jobs/jobFilters.js';

export interface JobsPage {
  jobs: JobDetails[];
  /** Where the next page starts; undefined on the last page. */
  nextCursor: string | undefined;
}

/**
 * Everything the dashboard asks of the server, in one place: the pages only ever talk to this
 * interface, so tests and other back ends can stand in for it.
 */
export interface JobsApi {
  /** One page of the jobs the filter lets through, newest submission first. */
  listJobs(
    filter: JobFilter,
    page: { limit: number; cursor?: string | undefined },
    signal?: AbortSignal,
  ): Promise<JobsPage>;
  /** How many jobs the filter lets through, per status. */
  summarizeJobs(filter: JobFilter, signal?: AbortSignal): Promise<JobSummary>;
  /**
   * Every change to any job, as it happens (after event `resume.lastEventId` of store
   * `resume.store` when given); see `followJobEvents` in @jobs/client.
   */
  followEvents(
    signal: AbortSignal,
    onConnection: (connection: JobEventsConnection) => void,
    resume?: { lastEventId: number; store: string | undefined },
  ): AsyncIterable<JobEvent>;
  getJob(submissionId: string, signal?: AbortSignal): Promise<JobDetails>;
  submitJob(request: SubmitJobRequest): Promise<string>;
  /** True when a stop was started, false when the job had already ended. */
  stopJob(submissionId: string): Promise<boolean>;
  /** True when the job and its log are gone, false while it is still active. */
  deleteJob(submissionId: string): Promise<boolean>;
  /** The log's size in bytes right now. */
  logSize(submissionId: string, signal?: AbortSignal): Promise<number>;
  /** The log from byte `fromOffset`, then what is written to it until the job ends. */
  followLog(submissionId: string, fromOffset: number, signal: AbortSignal): AsyncIterable<string>;
  /** The whole log, read in bounded ranges, as a file to save. */
  downloadLog(submissionId: string, signal?: AbortSignal): Promise<Blob>;
}

/** Talks to the Jobs server this page was loaded from. Errors are `JobsApiError`s. */
export function createJobsApi(baseUrl: string, token: string | undefined): JobsApi {
  const client = createJobsClient({
    baseUrl,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  return {
    async listJobs(filter, page, signal) {
      const response = await client.listJobs({
        query: {
          ...toFilterQuery(filter),
          limit: page.limit,
          ...(page.cursor === undefined ? {} : { cursor: page.cursor }),
        },
        fetchOptions: { signal },
      });
      return {
        jobs: okBody(response),
        nextCursor: nextPageQuery(response.headers.get('link'))?.cursor,
      };
    },
    async summarizeJobs(filter, signal) {
      return okBody(
        await client.getJobSummary({ query: toFilterQuery(filter), fetchOptions: { signal } }),
      );
    },
    followEvents(signal, onConnection, resume) {
      return followJobEvents(client, {
        signal,
        onConnection,
        ...(resume === undefined ? {} : { lastEventId: resume.lastEventId }),
        ...(resume?.store === undefined ? {} : { store: resume.store }),
      });
    },
    async getJob(submissionId, signal) {
      return okBody(
        await client.getJob({ params: { submission_id: submissionId }, fetchOptions: { signal } }),
      );
    },
    async submitJob(request) {
      return okBody(await client.submitJob({ body: request })).submission_id;
    },
    async stopJob(submissionId) {
      return okBody(await client.stopJob({ params: { submission_id: submissionId } }));
    },
    async deleteJob(submissionId) {
      return okBody(await client.deleteJob({ params: { submission_id: submissionId } }));
    },
    async logSize(submissionId, signal) {
      const response = await client.getJobLogs({
        params: { submission_id: submissionId },
        query: { offset: 0, limit: 1 },
        fetchOptions: { signal },
      });
      okBody(response);
      return Number(response.headers.get('x-log-size') ?? 0);
    },
    followLog(submissionId, fromOffset, signal) {
      return followJobLogs(client, submissionId, { signal, fromOffset });
    },
    async downloadLog(submissionId, signal) {
      // One blob per range: each range's text can be collected once it is in the blob.
      const parts: Blob[] = [];
      for await (const range of readLogRanges(client, submissionId, { signal })) {
        parts.push(new Blob([range.text]));
      }
      return new Blob(parts, { type: 'text/plain;charset=utf-8' });
    },
  };
}
