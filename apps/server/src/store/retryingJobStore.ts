import type { JobStatus } from '@jobs/contract';
import type { Logger } from 'pino';
import type { JobDriver, JobOutcome, JobRecord, NewJob } from '../domain/jobRecord.js';
import type { JobStore } from './jobStore.js';

export interface RetryDelays {
  firstMs: number;
  maxMs: number;
}

const defaultDelays: RetryDelays = { firstMs: 100, maxMs: 5_000 };

/**
 * A JobStore that keeps retrying the writes an executor reports about a job (why it waits, that it
 * started, how it ended) until they land, with capped exponential backoff: those facts happened
 * and have no request to fail, so giving up on them (a full disk, a locked file) would leave a
 * job PENDING or RUNNING with no driver until a restart. Every other call fails as the inner
 * store fails.
 */
export class RetryingJobStore implements JobStore {
  private readonly abandon = new AbortController();

  constructor(
    private readonly inner: JobStore,
    private readonly logger: Logger,
    private readonly delays: RetryDelays = defaultDelays,
  ) {}

  get queries(): JobStore['queries'] {
    return this.inner.queries;
  }

  markRunning(submissionId: string, driver: JobDriver, message: string): Promise<boolean> {
    return this.untilWritten('markRunning', submissionId, () =>
      this.inner.markRunning(submissionId, driver, message),
    );
  }

  attachDriver(submissionId: string, driver: JobDriver): Promise<boolean> {
    return this.untilWritten('attachDriver', submissionId, () =>
      this.inner.attachDriver(submissionId, driver),
    );
  }

  finish(submissionId: string, outcome: JobOutcome): Promise<boolean> {
    return this.untilWritten('finish', submissionId, () =>
      this.inner.finish(submissionId, outcome),
    );
  }

  /** Retried too: the executor waits for it before it admits the job, which must not be lost. */
  setPendingMessage(submissionId: string, message: string): Promise<boolean> {
    return this.untilWritten('setPendingMessage', submissionId, () =>
      this.inner.setPendingMessage(submissionId, message),
    );
  }

  /**
   * Makes writes still retrying fail with their last error, and later ones fail at once: on
   * shutdown, what could not be written is left to the next server, which reads it from the
   * run files of each job.
   */
  stopRetrying(): void {
    this.abandon.abort();
  }

  insert(job: NewJob): Promise<JobRecord> {
    return this.inner.insert(job);
  }
  get(submissionId: string): Promise<JobRecord | undefined> {
    return this.inner.get(submissionId);
  }
  listActive(): Promise<JobRecord[]> {
    return this.inner.listActive();
  }
  requestStop(submissionId: string, message: string): Promise<boolean> {
    return this.inner.requestStop(submissionId, message);
  }
  listFinishedBefore(endTime: number, limit: number): Promise<string[]> {
    return this.inner.listFinishedBefore(endTime, limit);
  }
  deleteFinished(submissionId: string): Promise<boolean> {
    return this.inner.deleteFinished(submissionId);
  }
  countByStatus(): Promise<Record<JobStatus, number>> {
    return this.inner.countByStatus();
  }
  checkWritable(): Promise<void> {
    return this.inner.checkWritable();
  }
  checkIntegrity(): Promise<void> {
    return this.inner.checkIntegrity();
  }
  close(): Promise<void> {
    this.stopRetrying();
    return this.inner.close();
  }

  private async untilWritten<T>(
    operation: string,
    submissionId: string,
    write: () => Promise<T>,
  ): Promise<T> {
    let delayMs = this.delays.firstMs;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await write();
        if (attempt > 1) {
          this.logger.info({ submissionId, operation, attempts: attempt }, 'job change recorded');
        }
        return result;
      } catch (error) {
        if (this.abandon.signal.aborted) throw error;
        // Once per write, however long it takes: a full disk must not flood the log.
        if (attempt === 1) {
          this.logger.error(
            { err: error, submissionId, operation },
            'could not record a job change; retrying until it is written',
          );
        }
        await this.pause(delayMs);
        delayMs = Math.min(delayMs * 2, this.delays.maxMs);
      }
    }
  }

  /** Waits `ms`, or less when retrying stops. */
  private pause(ms: number): Promise<void> {
    const { signal } = this.abandon;
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
    });
  }
}
