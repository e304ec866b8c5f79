import type { JobErrorType } from '@jobs/contract';
import { setupFailedOutcome, startErrorOutcome } from '../../domain/jobOutcomes.js';
import type { JobOutcome } from '../../domain/jobRecord.js';
import type { SlurmPhase } from './slurmJobState.js';

/** How Slurm says a job ended: its state and reason, with the batch step's exit code and signal. */
export type Ended = Extract<SlurmPhase, { kind: 'ended' }> & { exitCode: number; signal: number };

/** What the batch script recorded in the job's run dir before it ended the job itself. */
export interface ScriptRecords {
  setupFailed: string | undefined;
  startFailed: string | undefined;
}

/** Slurm end states that are not the entrypoint's own doing, each with its error_type. */
const SLURM_FAILURES: Record<string, { errorType: JobErrorType; what: string }> = {
  NODE_FAIL: { errorType: 'JOB_NODE_FAILURE', what: 'its Slurm node failed' },
  BOOT_FAIL: { errorType: 'JOB_NODE_BOOT_FAILURE', what: 'its Slurm node could not be booted' },
  OUT_OF_MEMORY: {
    errorType: 'JOB_OUT_OF_MEMORY',
    what: 'Slurm killed it for using more memory than it asked for',
  },
  TIMEOUT: { errorType: 'JOB_TIME_LIMIT', what: 'it reached its Slurm time limit' },
  DEADLINE: { errorType: 'JOB_TIME_LIMIT', what: 'it reached its Slurm deadline' },
  PREEMPTED: { errorType: 'JOB_PREEMPTED', what: 'Slurm preempted it' },
};

/** Our exit code: the code, or minus the killing signal. */
function exitCodeOf(ended: Ended): number {
  return ended.signal !== 0 ? -ended.signal : ended.exitCode;
}

function failed(message: string, exitCode: number | null, errorType: JobErrorType): JobOutcome {
  return { status: 'FAILED', message, exitCode, errorType, endTime: Date.now() };
}

/**
 * The outcome of a job Slurm reports as ended. `stopMessage` is set when a stop was asked for:
 * a cancelled job then counts as STOPPED, otherwise someone else cancelled it.
 */
export function slurmOutcome(
  ended: Ended,
  stopMessage: string | null,
  records: ScriptRecords,
): JobOutcome {
  const endTime = Date.now();
  if (records.setupFailed !== undefined) return setupFailedOutcome(records.setupFailed);
  if (records.startFailed !== undefined) return startErrorOutcome(records.startFailed);
  const exitCode = exitCodeOf(ended);
  if (ended.state === 'CANCELLED' || stopMessage !== null) {
    if (stopMessage !== null) {
      return { status: 'STOPPED', message: stopMessage, exitCode, errorType: '', endTime };
    }
    return failed(
      'Job was cancelled in Slurm, not through this API.',
      exitCode,
      'JOB_CANCELLED_EXTERNALLY',
    );
  }
  if (ended.state === 'COMPLETED') {
    return {
      status: 'SUCCEEDED',
      message: 'Job finished successfully.',
      exitCode,
      errorType: '',
      endTime,
    };
  }
  const slurmFailure = SLURM_FAILURES[ended.state];
  if (slurmFailure !== undefined) {
    return failed(
      `Job failed: ${slurmFailure.what} (Slurm state ${ended.state}${ended.node === '' ? '' : ` on node ${ended.node}`}).`,
      exitCode,
      slurmFailure.errorType,
    );
  }
  if (ended.state === 'FAILED' && ended.reason === 'JobLaunchFailure' && ended.signal !== 9) {
    return failed(
      `Job could not start its entrypoint: Slurm could not launch its batch script (signal ${ended.signal}, see the node's slurmd log).`,
      null,
      'JOB_ENTRYPOINT_COMMAND_START_ERROR',
    );
  }
  const how =
    ended.signal !== 0
      ? `Job failed: its driver was killed by signal ${ended.signal} (exit code ${exitCode}).`
      : `Job failed with exit code ${exitCode}.`;
  return failed(how, exitCode, 'JOB_ENTRYPOINT_COMMAND_ERROR');
}
