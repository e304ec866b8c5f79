import type { JobStatus } from '@jobs/contract';
import type { JobQueries } from './jobQueries.js';
import type { JobDriver, JobOutcome, JobRecord, NewJob } from '../domain/jobRecord.js';

/**
 * Where jobs are kept. Every method is one atomic change; a terminal status is never overwritten.
 * Async so that a networked backend (PostgreSQL) fits the same interface.
 */
export interface JobStore {
  /** Adds a PENDING job; throws JobAlreadyExistsError when the id is taken. */
  insert(job: NewJob): Promise<JobRecord>;
  get(submissionId: string): Promise<JobRecord | undefined>;
  /** Jobs still PENDING or RUNNING. */
  listActive(): Promise<JobRecord[]>;
  /** Updates the message of a job that is still PENDING (e.g. why it waits). */
  setPendingMessage(submissionId: string, message: string): Promise<boolean>;
  /** PENDING -> RUNNING with its driver. False when the job is no longer PENDING. */
  markRunning(submissionId: string, driver: JobDriver, message: string): Promise<boolean>;
  /**
   * Records the driver of an active job without changing its status (e.g. queued in a cluster's
   * scheduler). False when the job has ended (or is gone).
   */
  attachDriver(submissionId: string, driver: JobDriver): Promise<boolean>;
  /** PENDING or RUNNING -> terminal. False when the job had already ended (or is gone). */
  finish(submissionId: string, outcome: JobOutcome): Promise<boolean>;
  /** Records that a stop was asked for an active job. False when it had already ended. */
  requestStop(submissionId: string, message: string): Promise<boolean>;
  /** Ids of terminal jobs that ended before `endTime` (ms), oldest first, at most `limit`. */
  listFinishedBefore(endTime: number, limit: number): Promise<string[]>;
  /** Removes a terminal job. False when it is missing or still active. */
  deleteFinished(submissionId: string): Promise<boolean>;
  /** How many jobs have each status (0 for a status no job has). */
  countByStatus(): Promise<Record<JobStatus, number>>;
  /**
   * Resolves when the store can take a submission now: a real committed write, and room for
   * one more job. Readiness probes use it, so it must be cheap.
   */
  checkWritable(): Promise<void>;
  /** Reads the whole store to check it is intact; slow, so run on a schedule. */
  checkIntegrity(): Promise<void>;
  close(): Promise<void>;
  /** Reads over many jobs, and the log of changes every method above records. */
  readonly queries: JobQueries;
}
