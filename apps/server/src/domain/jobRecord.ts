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
  /** The server's node id, shown as driver_node_id until the driver's node is known. */
  nodeId: string;
  /** The job's driver once an executor has one; null before. */
  driver: JobDriver | null;
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

/** A job's driver as its executor knows it, and as the API shows it. */
export interface JobDriver {
  /**
   * How the executor that started the driver finds it again, e.g. after a restart. Opaque to
   * everything but that executor (local processes: pid and kernel start time; Slurm: job id).
   */
  ref: string;
  /** driver_info.id */
  id: string;
  /** driver_info.pid: '' when the executor has no process id to show. */
  pid: string;
  /** driver_info.node_ip_address: '' until the driver runs somewhere. */
  nodeIp: string;
  /** driver_node_id: '' until known, and the server's node id is shown instead. */
  nodeId: string;
}

export interface JobOutcome {
  status: Extract<JobStatus, 'SUCCEEDED' | 'FAILED' | 'STOPPED'>;
  message: string;
  exitCode: number | null;
  errorType: JobErrorType | '';
  endTime: number;
}
