import type { Logger } from 'pino';
import type { JobDriver, JobOutcome, JobRecord } from '../domain/jobRecord.js';
import type { JobLogs } from '../logs/jobLogs.js';
import type { JobStore } from '../store/jobStore.js';
import type { JobEvents, JobExecutor } from './jobExecutor.js';

export const STOPPED_BY_REQUEST = 'Job was stopped by request.';

/** Outcomes whose reason is in the job's own output: their message ends with its log tail. */
const explainedByLog = new Set<JobOutcome['errorType']>([
  'JOB_ENTRYPOINT_COMMAND_ERROR',
  'RUNTIME_ENV_SETUP_FAILURE',
]);

/**
 * The state changes of a job, written once for every executor: what an executor reports
 * becomes a change in the store, a stop is recorded before it is carried out (so it holds
 * across a restart), and a failure's message carries the end of the job's log.
 */
export class JobLifecycle implements JobEvents {
  constructor(
    private readonly store: JobStore,
    private readonly logs: JobLogs,
    private readonly logger: Logger,
  ) {}

  /** Records that a stop was asked for, then has the executor carry it out. */
  async stop(
    executor: JobExecutor,
    job: JobRecord,
    message = STOPPED_BY_REQUEST,
  ): Promise<boolean> {
    if (job.stopMessage === null) {
      if (!(await this.store.requestStop(job.submissionId, message))) return false;
    }
    return executor.stop({ ...job, stopMessage: job.stopMessage ?? message }, message);
  }

  async waiting(submissionId: string, message: string): Promise<void> {
    await this.store.setPendingMessage(submissionId, message);
  }

  async queued(submissionId: string, driver: JobDriver): Promise<void> {
    await this.store.attachDriver(submissionId, driver);
  }

  async running(submissionId: string, driver: JobDriver): Promise<void> {
    await this.store.markRunning(submissionId, driver, 'Job is running.');
    this.logger.info({ submissionId, driver: driver.id, pid: driver.pid }, 'job started');
  }

  async ended(submissionId: string, outcome: JobOutcome): Promise<void> {
    const recorded = await this.store.finish(
      submissionId,
      await this.withLogTail(submissionId, await this.withRecordedStop(submissionId, outcome)),
    );
    if (recorded) {
      this.logger.info(
        { submissionId, status: outcome.status, exitCode: outcome.exitCode },
        'job ended',
      );
    }
  }

  /**
   * A cancel the executor did not ask for may still be a stop: another server sharing the store
   * recorded it and cancelled the job before this one heard of the stop.
   */
  private async withRecordedStop(submissionId: string, outcome: JobOutcome): Promise<JobOutcome> {
    if (outcome.errorType !== 'JOB_CANCELLED_EXTERNALLY') return outcome;
    const stopMessage = (await this.store.get(submissionId))?.stopMessage ?? null;
    return stopMessage === null
      ? outcome
      : { ...outcome, status: 'STOPPED', message: stopMessage, errorType: '' };
  }

  private async withLogTail(submissionId: string, outcome: JobOutcome): Promise<JobOutcome> {
    if (!explainedByLog.has(outcome.errorType)) return outcome;
    const tail = await this.logs.tail(submissionId);
    return tail === ''
      ? outcome
      : { ...outcome, message: `${outcome.message} Last lines of its log:\n${tail}` };
  }
}
