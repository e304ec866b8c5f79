export { createJobsClient, type JobsClient, type JobsClientOptions } from './createJobsClient.js';
export { followJobLogs, type FollowJobLogsOptions, type JobLogTransport } from './followJobLogs.js';
export { iterateJobs, type IterateJobsOptions } from './iterateJobs.js';
export { JobsApiError, okBody } from './jobsApiError.js';
export { pollingLogTransport } from './pollingLogTransport.js';
export { sseLogTransport } from './sseLogTransport.js';
export { waitForJob, type WaitForJobOptions } from './waitForJob.js';
export { isTerminalStatus, jobStatuses, terminalJobStatuses } from '@jobs/contract';
export type {
  ErrorBody,
  ErrorCode,
  JobDetails,
  JobStatus,
  SubmitJobRequest,
  SubmitJobResponse,
} from '@jobs/contract';
