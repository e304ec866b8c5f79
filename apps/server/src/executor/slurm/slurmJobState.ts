/** One job as Slurm's queue shows it, reduced to what the executor reads. */
export interface SlurmJobState {
  jobId: string;
  /** Slurm's state: PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, NODE_FAIL, ... */
  state: string;
  /** Why it waits or how it ended: Priority, Resources, NonZeroExitCode, ... ('None' when none). */
  reason: string;
  /** The node the batch script runs on ('' until placed). */
  node: string;
}

/** `squeue` output format matching parseSqueue: the reason last, as it may hold spaces. */
export const SQUEUE_FORMAT = '%i|%T|%B|%r';

/** Parses `squeue -h -o SQUEUE_FORMAT` output, keyed by Slurm job id. */
export function parseSqueue(text: string): Map<string, SlurmJobState> {
  const jobs = new Map<string, SlurmJobState>();
  for (const line of text.split('\n')) {
    const [jobId, state, node, ...reason] = line.trim().split('|');
    if (jobId === undefined || state === undefined || node === undefined) continue;
    jobs.set(jobId, {
      jobId,
      state,
      reason: reason.join('|'),
      // squeue shows a node it has not picked yet as "n/a".
      node: node === 'n/a' ? '' : node,
    });
  }
  return jobs;
}

/** Exit code and killing signal of a finished job, from `scontrol show job -o <id>`. */
export function parseExitCode(scontrolLine: string): { exitCode: number; signal: number } {
  const match = /\bExitCode=(\d+):(\d+)/.exec(scontrolLine);
  if (match === null) throw new Error('scontrol shows no ExitCode for the job');
  return { exitCode: Number(match[1]), signal: Number(match[2]) };
}

/** Slurm states in which the job waits for a node (or is being set up on one). */
const WAITING = new Set([
  'PENDING',
  'CONFIGURING',
  'REQUEUED',
  'REQUEUE_HOLD',
  'REQUEUE_FED',
  'RESV_DEL_HOLD',
  'SUSPENDED',
  'STOPPED',
  'SIGNALING',
  'RESIZING',
  'REVOKED',
]);
const RUNNING = new Set(['RUNNING', 'COMPLETING', 'STAGE_OUT']);

/**
 * Pending reasons that no amount of waiting changes: the request is beyond what the partition
 * allows or its nodes have.
 */
const NEVER_RUNS = new Set([
  'BadConstraints',
  'PartitionConfig',
  'PartitionNodeLimit',
  'PartitionTimeLimit',
  'InvalidQOS',
  'InvalidAccount',
  'QOSJobLimit',
]);

export type SlurmPhase =
  | { kind: 'waiting'; reason: string; neverRuns: boolean }
  | { kind: 'running'; node: string }
  | { kind: 'ended'; state: string; reason: string; node: string };

/** What a Slurm state means for our job: waiting, running, or ended (its exit code is read apart). */
export function slurmPhase(job: SlurmJobState): SlurmPhase {
  if (RUNNING.has(job.state)) return { kind: 'running', node: job.node };
  if (WAITING.has(job.state)) {
    return { kind: 'waiting', reason: job.reason, neverRuns: NEVER_RUNS.has(job.reason) };
  }
  return { kind: 'ended', state: job.state, reason: job.reason, node: job.node };
}

/** The PENDING message for a job Slurm keeps waiting, with Slurm's reason. */
export function waitingMessage(reason: string): string {
  if (reason === 'None' || reason === '') return 'Job is queued in Slurm.';
  if (reason === 'Resources' || reason === 'Priority') {
    return `Job is waiting for resources in Slurm (${reason}).`;
  }
  return `Job is waiting in Slurm's queue (${reason}).`;
}
