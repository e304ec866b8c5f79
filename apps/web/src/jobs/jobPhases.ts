import type { JobTiming } from '@jobs/client';

/** How long a job queued and ran, so far while it is in that phase. */
export interface JobPhases {
  queuedMs: number;
  /** Still waiting to run. */
  queuing: boolean;
  /** Undefined when it never ran, or ran before its start was recorded. */
  ranMs: number | undefined;
  running: boolean;
}

/**
 * The phases of a job from its timing. Times come from two clocks (the server's for submission
 * and end, the store's for the start of the run), so a small negative difference reads as 0.
 */
export function jobPhases(timing: JobTiming, nowMs: number): JobPhases {
  const { submitted_at: submitted, running_at: running, ended_at: ended } = timing;
  if (running === null) {
    return {
      queuedMs: Math.max(0, (ended ?? nowMs) - submitted),
      queuing: ended === null,
      ranMs: undefined,
      running: false,
    };
  }
  return {
    queuedMs: Math.max(0, running - submitted),
    queuing: false,
    ranMs: Math.max(0, (ended ?? nowMs) - running),
    running: ended === null,
  };
}
