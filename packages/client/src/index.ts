export { createJobsClient, type JobsClient, type JobsClientOptions } from './createJobsClient.js';
export {
  followJobEvents,
  type FollowJobEventsOptions,
  type JobEventsConnection,
} from './followJobEvents.js';
export { followJobLogs } from './followJobLogs.js';
export type { FollowJobLogsOptions, JobLogTransport } from './jobLogTransport.js';
export { iterateJobs, type IterateJobsOptions } from './iterateJobs.js';
export { JobsApiError, okBody } from './jobsApiError.js';
export { type LogRange, readLogRanges } from './logRanges.js';
export { nextPageQuery } from './nextLink.js';
export { pollingLogTransport } from './pollingLogTransport.js';
export { ConnectionLostError } from './serverSentEvents.js';
export { sseLogTransport } from './sseLogTransport.js';
export { waitForJob, type WaitForJobOptions } from './waitForJob.js';
// Every schema, constant and type of the wire format, so one dependency is enough.
export * from '@jobs/contract';
