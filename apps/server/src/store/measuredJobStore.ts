import type { JobStatus } from '@jobs/contract';
import type { JobDriver, JobOutcome, JobRecord, NewJob } from '../domain/jobRecord.js';
import type { JobStore } from './jobStore.js';

/** What a MeasuredJobStore reports. */
export interface JobStoreObserver {
  storeCallCompleted(operation: string, ok: boolean, seconds: number): void;
  /** A job reached a terminal status (reported once per job). */
  jobEnded(outcome: JobOutcome, startTime: number): void;
}

/**
 * A JobStore that times every call and reports jobs ending, so every path that ends a job
 * (runner, recovery after a crash) is counted without the runner knowing about metrics.
 */
export class MeasuredJobStore implements JobStore {
  constructor(
    private readonly inner: JobStore,
    private readonly observer: JobStoreObserver,
  ) {}

  /** List queries stream their results; they are measured as HTTP requests, not here. */
  get queries(): JobStore['queries'] {
    return this.inner.queries;
  }

  private async time<T>(operation: string, call: () => Promise<T>): Promise<T> {
    const started = process.hrtime.bigint();
    let ok = false;
    try {
      const result = await call();
      ok = true;
      return result;
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.observer.storeCallCompleted(operation, ok, seconds);
    }
  }

  insert(job: NewJob): Promise<JobRecord> {
    return this.time('insert', () => this.inner.insert(job));
  }
  get(submissionId: string): Promise<JobRecord | undefined> {
    return this.time('get', () => this.inner.get(submissionId));
  }
  listActive(): Promise<JobRecord[]> {
    return this.time('listActive', () => this.inner.listActive());
  }
  setPendingMessage(submissionId: string, message: string): Promise<boolean> {
    return this.time('setPendingMessage', () =>
      this.inner.setPendingMessage(submissionId, message),
    );
  }
  requestStop(submissionId: string, message: string): Promise<boolean> {
    return this.time('requestStop', () => this.inner.requestStop(submissionId, message));
  }
  markRunning(submissionId: string, driver: JobDriver, message: string): Promise<boolean> {
    return this.time('markRunning', () => this.inner.markRunning(submissionId, driver, message));
  }
  attachDriver(submissionId: string, driver: JobDriver): Promise<boolean> {
    return this.time('attachDriver', () => this.inner.attachDriver(submissionId, driver));
  }
  async finish(submissionId: string, outcome: JobOutcome): Promise<boolean> {
    const finished = await this.time('finish', () => this.inner.finish(submissionId, outcome));
    if (finished) {
      const job = await this.get(submissionId);
      if (job !== undefined) this.observer.jobEnded(outcome, job.startTime);
    }
    return finished;
  }
  listFinishedBefore(endTime: number, limit: number): Promise<string[]> {
    return this.time('listFinishedBefore', () => this.inner.listFinishedBefore(endTime, limit));
  }
  deleteFinished(submissionId: string): Promise<boolean> {
    return this.time('deleteFinished', () => this.inner.deleteFinished(submissionId));
  }
  countByStatus(): Promise<Record<JobStatus, number>> {
    return this.time('countByStatus', () => this.inner.countByStatus());
  }
  checkWritable(): Promise<void> {
    return this.time('checkWritable', () => this.inner.checkWritable());
  }
  checkIntegrity(): Promise<void> {
    return this.time('checkIntegrity', () => this.inner.checkIntegrity());
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
