import {
  type JobDetails,
  type SubmitJobRequest,
  createJobsClient,
  followJobLogs,
  okBody,
} from '@jobs/client';

/**
 * Everything the dashboard asks of the server, in one place. The list is read whole and
 * filtered in the browser for now; server-side filters, paging and an event stream can replace
 * `listJobs` and the polling behind it without touching the pages.
 */
export interface JobsApi {
  listJobs(signal?: AbortSignal): Promise<JobDetails[]>;
  getJob(submissionId: string, signal?: AbortSignal): Promise<JobDetails>;
  submitJob(request: SubmitJobRequest): Promise<string>;
  /** True when a stop was started, false when the job had already ended. */
  stopJob(submissionId: string): Promise<boolean>;
  /** True when the job and its log are gone, false while it is still active. */
  deleteJob(submissionId: string): Promise<boolean>;
  followLog(submissionId: string, signal: AbortSignal): AsyncIterable<string>;
}

/** Talks to the Jobs server this page was loaded from. Errors are `JobsApiError`s. */
export function createJobsApi(baseUrl: string, token: string | undefined): JobsApi {
  const client = createJobsClient({
    baseUrl,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  return {
    async listJobs(signal) {
      return okBody(await client.listJobs({ fetchOptions: { signal } }));
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
    followLog(submissionId, signal) {
      return followJobLogs(client, submissionId, { signal });
    },
  };
}
