import type { JobEventType, JobListFilter, JobListOrder, JobStatus } from '@jobs/contract';
import type { JobRecord } from '../domain/jobRecord.js';
import type { StatusCounts } from './statusCounts.js';

/** Which jobs a list or a count is about; its meaning is `jobMatchesFilter` of @jobs/contract. */
export type JobFilter = JobListFilter;

/** Where a page ended: the store position of its last job and, in a duration order, its key. */
export interface ListPosition {
  seq: number;
  /**
   * The job's run duration (end_time - start_time) in `longest` and `shortest`; null when it had
   * not ended, and always in `newest` and `oldest`.
   */
  duration: number | null;
}

/** Which page to read: `limit` jobs in `order`, from just after `after` (the start when absent). */
export interface PageRequest {
  order: JobListOrder;
  after?: ListPosition;
  limit: number;
}

export interface JobPage {
  jobs: JobRecord[];
  /** Where the next page starts (pass as `after`); undefined on the last page. */
  next: ListPosition | undefined;
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
   * Up to `limit` jobs matching `filter` in `order` (see jobListOrders of @jobs/contract),
   * starting after `after` (a `next` of an earlier page of the same order and filter). Jobs
   * submitted meanwhile never shift a page of `newest`; a job that ends meanwhile moves in the
   * duration orders, so it can be missed or seen twice by a client paging through them.
   */
  listPage(filter: JobFilter, page: PageRequest): Promise<JobPage>;
  /**
   * Every job matching `filter` in `order` after `after`: the unpaged list, read the store's own
   * way. The JobDetails JSON texts of the jobs joined by commas (the list's array without its
   * brackets), in pieces ready to be written out one after another: text, or UTF-8 bytes that
   * may cut a job's text (or a character) anywhere. A piece is rarely over about 100 KB, and
   * never empty.
   */
  listAllJson(
    filter: JobFilter,
    order: JobListOrder,
    after: ListPosition | undefined,
  ): AsyncGenerator<string | Buffer>;
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
