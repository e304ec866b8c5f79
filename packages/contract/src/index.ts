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
export {
  JobLogStreamQuerySchema,
  JobLogsQuerySchema,
  JobLogsResponseSchema,
  LogStreamChunkSchema,
  MAX_LOG_READ_BYTES,
  VersionResponseSchema,
} from './responses.js';
export type {
  JobLogsQuery,
  JobLogsResponse,
  LogStreamChunk,
  VersionResponse,
} from './responses.js';
export { SubmissionIdSchema, submissionIdPattern } from './submissionId.js';
export {
  RuntimeEnvSchema,
  decodeEnvVarsJson,
  supportedRuntimeEnvKeys,
  workingDirArchiveSuffixes,
  type RuntimeEnv,
} from './runtimeEnv.js';
export { SubmitJobRequestSchema, SubmitJobResponseSchema } from './submitJob.js';
export type { SubmitJobRequest, SubmitJobResponse, ValidSubmitJobRequest } from './submitJob.js';
export { accessResponses } from './accessResponses.js';
export {
  METRICS_CONTENT_TYPE,
  operationsContract,
  type OperationsContract,
} from './operationsContract.js';
export {
  JobEventSchema,
  JobEventTypeSchema,
  JobEventsHeadersSchema,
  JobEventsResetSchema,
  JOBS_STORE_HEADER,
  JobFilterQuerySchema,
  JobSummaryQuerySchema,
  JobSummarySchema,
  ListJobsQuerySchema,
  MAX_METADATA_FILTERS,
  JobListOrderSchema,
  MAX_PAGE_LIMIT,
  MAX_SEARCH_CHARS,
  METADATA_FILTER_PREFIX,
  SUMMARY_SCAN_LIMIT,
  jobEventTypes,
  jobListOrders,
  statusFilter,
} from './listJobs.js';
export type {
  JobEvent,
  JobEventType,
  JobEventsReset,
  JobFilterQuery,
  JobListOrder,
  JobStatusFilter,
  JobSummary,
  JobSummaryQuery,
  ListJobsQuery,
} from './listJobs.js';
export {
  type ActivityBucket,
  DURATION_BIN_UPPER_MS,
  type JobActivity,
  JobActivitySchema,
  JobStatusCountsSchema,
  MAX_ACTIVITY_BUCKETS,
  activityBucketMs,
} from './jobActivity.js';
export { type JobTiming, JobTimingSchema } from './jobTiming.js';
export {
  foldSearchText,
  jobMatchesFilter,
  type FilteredJob,
  type JobListFilter,
} from './jobFilter.js';
export {
  PACKAGE_PROTOCOL,
  PackageInfoSchema,
  PackagePathParamsSchema,
  packageNamePattern,
  packageUriPattern,
  packagesContract,
} from './packages.js';
export type { PackageInfo, PackagePathParams, PackagesContract } from './packages.js';
