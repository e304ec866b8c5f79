import type { JobErrorType, JobStatus } from '@jobs/contract';

/** Resources a job asked for at submission; kept for scheduling. */
export interface JobResources {
  numCpus?: number;
  numGpus?: number;
  memoryBytes?: number;
  custom?: Record<string, number>;
}

/** A job as the store keeps it. */
export interface JobRecord {
  submissionId: string;
  entrypoint: string;
  status: JobStatus;
  message: string;
  /** When the job was accepted, ms since the epoch. */
  startTime: number;
  /** When the job reached a terminal status, ms since the epoch. */
  endTime: number | null;
  metadata: Record<string, string>;
  runtimeEnv: Record<string, unknown>;
  resources: JobResources;
  nodeId: string;
  driverNodeIp: string;
  driverPid: number | null;
  /** Kernel start time of the driver process, to tell a reused pid apart. */
  driverStartedAt: string | null;
  exitCode: number | null;
  errorType: JobErrorType | '';
  /** Digest of the accepted request: an identical retry is recognised by it. */
  requestDigest: string;
  /** Set once a stop was asked for: the message the job ends with. */
  stopMessage: string | null;
}

export type NewJob = Pick<
  JobRecord,
  | 'submissionId'
  | 'entrypoint'
  | 'message'
  | 'startTime'
  | 'metadata'
  | 'runtimeEnv'
  | 'resources'
  | 'nodeId'
  | 'requestDigest'
>;

export interface DriverStarted {
  pid: number;
  startedAt: string | null;
  nodeIp: string;
  message: string;
}

export interface JobOutcome {
  status: Extract<JobStatus, 'SUCCEEDED' | 'FAILED' | 'STOPPED'>;
  message: string;
  exitCode: number | null;
  errorType: JobErrorType | '';
  endTime: number;
}
