import type { JobDriver, JobOutcome, JobRecord } from '../domain/jobRecord.js';

/**
 * What an executor reports about the jobs it runs. One implementation (JobLifecycle) records
 * it in the store, the same way for every executor.
 */
export interface JobEvents {
  /** The job is still PENDING, for this reason (its message). */
  waiting(submissionId: string, message: string): Promise<void>;
  /** The job has a driver that does not run yet (e.g. queued in the cluster's scheduler). */
  queued(submissionId: string, driver: JobDriver): Promise<void>;
  /** PENDING -> RUNNING. */
  running(submissionId: string, driver: JobDriver): Promise<void>;
  /** The job ended, or could not start. */
  ended(submissionId: string, outcome: JobOutcome): Promise<void>;
}

/**
 * Where jobs run: processes on this machine, or a cluster's workload manager. The service
 * talks to this interface only; everything about processes, schedulers and run directories
 * stays behind it.
 */
export interface JobExecutor {
  /** Starts a PENDING job: sets up its runtime_env, waits for resources, runs its entrypoint. */
  start(job: JobRecord): void;
  /**
   * Ends a job that is waiting or running: SIGTERM, then SIGKILL after the grace period, to
   * everything it started. False when this executor does not have the job (any more).
   */
  stop(job: JobRecord, message: string): Promise<boolean>;
  /**
   * Takes over the jobs an earlier server left PENDING or RUNNING: drivers still running are
   * followed again, those that ended meanwhile get their real outcome, those never started
   * are started.
   */
  recover(jobs: readonly JobRecord[]): Promise<void>;
  /** Lets go of every job, leaving drivers running for the next server (shutdown). */
  release(): Promise<void>;
  /** Stops every job and waits until each is recorded as ended (shutdown). */
  stopAll(message: string): Promise<void>;
  /** Why jobs cannot be run now, or undefined when they can. */
  notReadyReason(): Promise<string | undefined>;
  /** Removes what the executor keeps of an ended job (its run directory). */
  remove(submissionId: string): Promise<void>;
  /** Jobs this executor is looking after now. */
  readonly activeCount: number;
}
