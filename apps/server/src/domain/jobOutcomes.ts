import { constants } from 'node:os';
import type { JobOutcome } from './jobRecord.js';

/** A driver's exit as the OS reports it: an exit code, or the signal that killed it. */
export interface DriverExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Exit code as the API reports it: the code, or minus the number of the killing signal. */
export function exitCodeOf(exit: DriverExit): number | null {
  if (exit.code !== null) return exit.code;
  if (exit.signal !== null) return -constants.signals[exit.signal];
  return null;
}

/** The terminal status, exit code, error type and message of a driver that has exited. */
export function driverOutcome(
  exit: DriverExit,
  /** Set when the driver ended because it was stopped: the message to record. */
  stopMessage: string | null,
  endTime: number,
): JobOutcome {
  const exitCode = exitCodeOf(exit);
  if (stopMessage !== null) {
    return {
      status: 'STOPPED',
      message: stopMessage,
      exitCode,
      errorType: '',
      endTime,
    };
  }
  if (exit.code === 0) {
    return {
      status: 'SUCCEEDED',
      message: 'Job finished successfully.',
      exitCode,
      errorType: '',
      endTime,
    };
  }
  const how =
    exit.signal !== null
      ? `Job failed: its driver was killed by signal ${exit.signal} (exit code ${exitCode}).`
      : `Job failed with exit code ${exitCode}.`;
  return {
    status: 'FAILED',
    message: how,
    exitCode,
    errorType: 'JOB_ENTRYPOINT_COMMAND_ERROR',
    endTime,
  };
}

/** The outcome of a job that ended before its entrypoint started. */
export function notStartedOutcome(
  status: JobOutcome['status'],
  message: string,
  errorType: JobOutcome['errorType'],
): JobOutcome {
  return { status, message, exitCode: null, errorType, endTime: Date.now() };
}

/** The outcome of a job whose entrypoint could not be started. */
export function startErrorOutcome(reason: string): JobOutcome {
  return notStartedOutcome(
    'FAILED',
    `Job could not start its entrypoint: ${reason}.`,
    'JOB_ENTRYPOINT_COMMAND_START_ERROR',
  );
}

/** The outcome of a job whose runtime_env could not be set up, for `reason`. */
export function setupFailedOutcome(reason: string): JobOutcome {
  return notStartedOutcome(
    'FAILED',
    `Job's runtime environment could not be set up: ${reason}.`,
    'RUNTIME_ENV_SETUP_FAILURE',
  );
}
