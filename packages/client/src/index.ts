export { createJobsClient, type JobsClient, type JobsClientOptions } from './createJobsClient.js';
export type {
  ErrorBody,
  JobDetails,
  JobStatus,
  SubmitJobRequest,
  SubmitJobResponse,
} from '@jobs/contract';
