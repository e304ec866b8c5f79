import type { JobQueries } from './jobQueries.js';
import type { DriverStarted, JobOutcome, JobRecord, NewJob } from '../jobs/jobRecord.js';

/**
 * Where jobs are kept. Every method is one atomic change; a terminal status is never overwritten.
 * Async so that a networked backend (PostgreSQL) fits the same interface.
 */
export interface JobStore {
  /** Adds a PENDING job; throws JobAlreadyExistsError when the id is taken. */
  insert(job: NewJob): Promise<JobRecord>;
  get(submissionId: string): Promise<JobRecord | undefined>;
  /** Every job, newest submission first. */
  list(): Promise<JobRecord[]>;
  /** Jobs still PENDING or RUNNING. */
  listActive(): Promise<JobRecord[]>;
  /** PENDING -> RUNNING. False when the job is no longer PENDING. */
  markRunning(submissionId: string, driver: DriverStarted): Promise<boolean>;
  /** PENDING or RUNNING -> terminal. False when the job had already ended (or is gone). */
  finish(submissionId: string, outcome: JobOutcome): Promise<boolean>;
  /** Removes a terminal job. False when it is missing or still active. */
  deleteFinished(submissionId: string): Promise<boolean>;
  close(): Promise<void>;
  /** Reads over many jobs, and the log of changes every method above records. */
  readonly queries: JobQueries;
}
