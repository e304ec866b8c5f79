import type { JobEventType, JobListFilter, JobStatus } from '@jobs/contract';
import type { JobRecord } from '../domain/jobRecord.js';
import type { StatusCounts } from './statusCounts.js';

/** Which jobs a list or a count is about; its meaning is `jobMatchesFilter` of @jobs/contract. */
export type JobFilter = JobListFilter;

export interface JobPage {
  jobs: JobRecord[];
  /** Where the next page starts (pass as `before`); undefined on the last page. */
  next: number | undefined;
}

/** One change of one job, as recorded in the same transaction as the change. */
export interface StoredJobEvent {
  id: number;
  type: JobEventType;
  /** The job right after the change (for `deleted`: right before it). */
  job: JobRecord;
}

/** When a job was submitted and ended, and its status: what the activity chart is drawn from. */
export interface JobTimes {
  startTime: number;
  endTime: number | null;
  status: JobStatus;
}

/** When a job was submitted, started running and ended, ms since the epoch. */
export interface JobTiming {
  startTime: number;
  runningSince: number | null;
  endTime: number | null;
}

/** The state of the whole store: it changes with every change to any job. */
export interface StoreVersion {
  storeId: string;
  lastEventId: number;
}

/** Reads over many jobs, and the change log; kept apart from the single-job writes of JobStore. */
export interface JobQueries {
  /**
   * Up to `limit` jobs matching `filter`, newest submission first, starting after position
   * `before` (a `next` of an earlier page). Jobs submitted meanwhile never shift a page.
   */
  listPage(filter: JobFilter, page: { before?: number; limit: number }): Promise<JobPage>;
  /**
   * Like listPage, but each job comes as its JobDetails JSON text, ready to be written out:
   * the fast path of the unpaged list.
   */
  listPageJson(
    filter: JobFilter,
    page: { before?: number; limit: number },
  ): Promise<{ items: string[]; next: number | undefined }>;
  /**
   * How many jobs matching `filter` have each status. Exact and read from maintained counts when
   * the filter is by status alone; otherwise at most `scanLimit` candidate jobs (newest first,
   * from the index the filter leads with) are read, and the result says when that capped it.
   */
  countByStatus(filter: JobFilter, scanLimit: number): Promise<StatusCounts>;
  /**
   * The times and status of the jobs matching `filter`, among at most `scanLimit` candidate jobs
   * read as countByStatus reads them (even for a filter by status alone); `capped` when that
   * limit was reached.
   */
  jobTimes(filter: JobFilter, scanLimit: number): Promise<{ jobs: JobTimes[]; capped: boolean }>;
  /**
   * When the job was submitted, started running (null before, or if that was not recorded) and
   * ended; undefined when there is no such job.
   */
  jobTiming(submissionId: string): Promise<JobTiming | undefined>;
  version(): Promise<StoreVersion>;
  /** Up to `limit` changes recorded after event `afterId`, oldest first. */
  eventsAfter(afterId: number, limit: number): Promise<StoredJobEvent[]>;
  /**
   * The ids of the oldest change still kept (undefined when none is) and of the latest one
   * ever recorded: events before `oldest` were pruned.
   */
  eventBounds(): Promise<{ oldest: number | undefined; latest: number }>;
  /**
   * Deletes the oldest changes, keeping the latest `keep`; returns how many were deleted. Done
   * in small transactions, so submissions are never held up for long.
   */
  pruneEvents(keep: number): Promise<number>;
  /** Calls `listener` after every committed change; returns what unsubscribes it. */
  onChange(listener: () => void): () => void;
}
