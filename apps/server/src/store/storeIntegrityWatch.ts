import type { Logger } from 'pino';
import { PeriodicTask } from '../upkeep/periodicTask.js';
import type { JobStore } from './jobStore.js';

/**
 * Checks the store's integrity at start and then on a schedule (the check reads every page, too
 * slow for each readiness probe) and keeps what the last check found.
 */
export class StoreIntegrityWatch {
  private problem: Error | undefined;
  private readonly task: PeriodicTask<void>;

  constructor(
    private readonly store: JobStore,
    private readonly logger: Logger,
    intervalMs: number,
  ) {
    this.task = new PeriodicTask(() => this.check(), intervalMs);
  }

  start(): void {
    this.task.start(true);
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** Throws what the latest check found wrong, if anything. */
  assertIntact(): void {
    if (this.problem !== undefined) throw this.problem;
  }

  private async check(): Promise<void> {
    try {
      await this.store.checkIntegrity();
      if (this.problem !== undefined) this.logger.info('the job store passes its integrity check');
      this.problem = undefined;
    } catch (error) {
      if (this.problem === undefined) {
        this.logger.error({ err: error }, 'the job store failed its integrity check');
      }
      this.problem = error instanceof Error ? error : new Error(String(error));
    }
  }
}
