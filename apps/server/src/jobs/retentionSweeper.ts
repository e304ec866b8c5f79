import type { Logger } from 'pino';
import type { JobStore } from '../store/jobStore.js';
import type { JobService } from './jobService.js';
import { PeriodicTask } from '../upkeep/periodicTask.js';

const BATCH = 500;

export interface RetentionOptions {
  store: JobStore;
  jobs: JobService;
  logger: Logger;
  /** Finished jobs older than this (since they ended) are deleted with their logs. */
  retentionMs: number;
  /** How often to look; by default a tenth of the retention, at most a minute. */
  intervalMs?: number;
  now?: () => number;
}

/**
 * Deletes finished jobs, with their logs, once they have been finished for longer than the
 * retention. Only the end time counts: nothing in a job's metadata changes how long it is kept.
 */
export class RetentionSweeper {
  private readonly task: PeriodicTask<number>;

  constructor(private readonly options: RetentionOptions) {
    const interval =
      options.intervalMs ?? Math.min(60_000, Math.max(1_000, options.retentionMs / 10));
    this.task = new PeriodicTask(() => this.deleteExpired(), interval);
  }

  start(): void {
    this.task.start();
  }

  async stop(): Promise<void> {
    await this.task.stop();
  }

  /** One pass; returns how many jobs it deleted. */
  sweep(): Promise<number> {
    return this.task.run();
  }

  private async deleteExpired(): Promise<number> {
    const { store, jobs, logger, retentionMs } = this.options;
    const cutoff = (this.options.now ?? Date.now)() - retentionMs;
    let deleted = 0;
    try {
      for (;;) {
        const expired = await store.listFinishedBefore(cutoff, BATCH);
        let deletedNow = 0;
        for (const id of expired) {
          if (await jobs.delete(id).catch(() => false)) deletedNow++;
        }
        deleted += deletedNow;
        // A short batch is the last one; one where nothing could be deleted would repeat.
        if (expired.length < BATCH || deletedNow === 0) break;
      }
    } catch (error) {
      logger.error({ err: error }, 'retention sweep failed');
    }
    if (deleted > 0) logger.info({ deleted }, 'deleted finished jobs past their retention');
    return deleted;
  }
}
