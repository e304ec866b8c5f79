import type { Logger } from 'pino';
import { isSameProcessAlive, signalProcessGroup } from '../runner/processGroup.js';
import type { JobStore } from '../store/jobStore.js';
import type { JobRecord } from './jobRecord.js';

function lostMessage(job: JobRecord): string {
  if (job.driverPid === null) return 'The job server stopped before this job started.';
  if (isSameProcessAlive(job.driverPid, job.driverStartedAt)) {
    // Nobody could record how it ends: end it rather than leave it running unaccounted for.
    signalProcessGroup(job.driverPid, 'SIGKILL');
    return `The job server restarted while this job was running; its driver (pid ${job.driverPid}) could not be followed any more and was killed.`;
  }
  return `The job server stopped while this job was running; its driver (pid ${job.driverPid}) ended meanwhile with an unknown exit status.`;
}

/**
 * Resolves the jobs an earlier server process left PENDING or RUNNING: each becomes FAILED with
 * JOB_DRIVER_LOST, so none stays active forever. Returns how many were resolved.
 */
export async function recoverInterruptedJobs(
  store: JobStore,
  logger: Logger,
  now: () => number = Date.now,
): Promise<number> {
  const interrupted = await store.listActive();
  for (const job of interrupted) {
    const message = lostMessage(job);
    await store.finish(job.submissionId, {
      status: 'FAILED',
      message,
      exitCode: null,
      errorType: 'JOB_DRIVER_LOST',
      endTime: now(),
    });
    logger.warn({ submissionId: job.submissionId }, message);
  }
  return interrupted.length;
}
