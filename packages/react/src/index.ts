export {
  JobsProvider,
  type JobsProviderProps,
  type JobEventsState,
  useJobEventsConnection,
  useJobsClient,
} from './JobsProvider.js';
export {
  useJob,
  useJobActivity,
  useJobList,
  useJobLog,
  useJobSummary,
  useJobTiming,
} from './jobQueries.js';
export { useDeleteJob, useDownloadJobLog, useStopJob, useSubmitJob } from './jobMutations.js';
export { type FollowedLog, useFollowJobLog } from './useFollowJobLog.js';
export { jobKeys } from './jobKeys.js';
export { type JobsQuery, toFilterQuery, toListFilter } from './jobsQuery.js';
export { type JobsPage, newerSnapshot, startedAt } from './jobPages.js';
export {
  type JobListData,
  type JobLogText,
  type JobView,
  type JobsSource,
  defaultPageSize,
  jobActivityQuery,
  jobListQuery,
  jobLogQuery,
  jobQuery,
  jobSummaryQuery,
  jobTimingQuery,
} from './queries.js';
export { JobEventBus } from './jobEventBus.js';
export { applyJobEventToCache, followJobEventsIntoCache } from './liveCache.js';
