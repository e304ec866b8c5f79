import type { JobOutcome, JobRecord } from '../jobs/jobRecord.js';

/** How an executor's driver of one job is found again and shown (driver_info / driver_node_id). */
export interface JobDriver {
  ref: string;
  id: string;
  pid: string;
  nodeIp: string;
  nodeId: string;
}

export type ExecutorOutcome = JobOutcome;

/** What an executor reports; the shared lifecycle records it in the store. */
export interface JobEvents {
  waiting(submissionId: string, message: string): Promise<void>;
  queued(submissionId: string, driver: JobDriver): Promise<void>;
  running(submissionId: string, driver: JobDriver): Promise<void>;
  ended(submissionId: string, outcome: ExecutorOutcome): Promise<void>;
}

export interface JobExecutor {
  readonly name: 'local' | 'slurm';
  start(job: JobRecord): void;
  stop(job: JobRecord, message: string): Promise<boolean>;
  recover(jobs: JobRecord[]): Promise<void>;
  release(): Promise<void>;
  stopAll(message: string): Promise<void>;
  notReadyReason(): Promise<string | undefined>;
  logPath(submissionId: string): string;
  remove(submissionId: string): Promise<void>;
}
