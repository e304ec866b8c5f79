import type { Logger } from 'pino';
import type { JobRunFiles } from '../runner/jobRunFiles.js';
import type { JobRunner } from '../runner/jobRunner.js';
import { isSameProcessAlive } from '../runner/processGroup.js';
import type { JobStore } from '../store/jobStore.js';

/**
 * Picks up the jobs an earlier server process left PENDING or RUNNING: a driver still running
 * is adopted, one that ended meanwhile gets the status its wrapper recorded, one that vanished
 * without a record becomes FAILED with JOB_DRIVER_LOST, and a job that never started is started.
 */
export async function resumeActiveJobs(
  store: JobStore,
  runner: JobRunner,
  runFiles: JobRunFiles,
  logger: Logger,
): Promise<void> {
  for (const job of await store.listActive()) {
    const id = job.submissionId;
    // A job can have been spawned but not yet recorded RUNNING when the server died.
    const driver =
      job.driverPid !== null
        ? { pid: job.driverPid, startedAt: job.driverStartedAt }
        : runFiles.readDriver(id);
    if (driver === undefined) {
      logger.info({ submissionId: id }, 'starting a job accepted before the restart');
      runner.start(job);
    } else if (isSameProcessAlive(driver.pid, driver.startedAt)) {
      logger.info({ submissionId: id, pid: driver.pid }, 'adopting a running job');
      runner.adopt({ ...job, driverPid: driver.pid, driverStartedAt: driver.startedAt });
    } else {
      await runner.settle({ ...job, driverPid: driver.pid });
      logger.info(
        { submissionId: id },
        'recorded the end of a job that finished during the restart',
      );
    }
  }
}
