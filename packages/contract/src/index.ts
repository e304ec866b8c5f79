export { API_VERSION, jobsContract, type JobsContract } from './contract.js';
export { ErrorBodySchema, ErrorCodeSchema, errorCodeStatus } from './errors.js';
export type { ErrorBody, ErrorCode } from './errors.js';
export { JobErrorTypeSchema, jobErrorTypes, type JobErrorType } from './errorTypes.js';
export { DriverInfoSchema, JobDetailsSchema } from './jobDetails.js';
export type { DriverInfo, JobDetails } from './jobDetails.js';
export {
  JobStatusSchema,
  isTerminalStatus,
  jobStatuses,
  terminalJobStatuses,
  type JobStatus,
} from './jobStatus.js';
export { JobLogsResponseSchema, VersionResponseSchema } from './responses.js';
export type { JobLogsResponse, VersionResponse } from './responses.js';
export { SubmissionIdSchema, submissionIdPattern } from './submissionId.js';
export { RuntimeEnvSchema, SubmitJobRequestSchema, SubmitJobResponseSchema } from './submitJob.js';
export type {
  RuntimeEnv,
  SubmitJobRequest,
  SubmitJobResponse,
  ValidSubmitJobRequest,
} from './submitJob.js';
export {
  JobEventSchema,
  JobEventTypeSchema,
  JobEventsHeadersSchema,
  JobFilterQuerySchema,
  JobSummarySchema,
  ListJobsQuerySchema,
  MAX_PAGE_LIMIT,
  METADATA_FILTER_PREFIX,
  jobEventTypes,
} from './listJobs.js';
export type {
  JobEvent,
  JobEventType,
  JobFilterQuery,
  JobSummary,
  ListJobsQuery,
} from './listJobs.js';
