import type { Logger } from 'pino';
import type { JobQueries } from '../store/jobQueries.js';
import { PeriodicTask } from '../upkeep/periodicTask.js';

export interface EventLogPrunerOptions {
  queries: JobQueries;
  /** How many of the latest changes to keep. */
  keep: number;
  logger: Logger;
  /** How often to prune; one minute by default. */
  intervalMs?: number;
}

/**
 * Keeps the change log behind GET /api/job-events from growing without end: only the latest
 * `keep` changes stay, enough for clients that reconnect after a while to catch up; one that
 * comes back from further behind gets a `reset` event and reads its state again.
 */
export class EventLogPruner {
  private readonly task: PeriodicTask<number>;

  constructor(private readonly options: EventLogPrunerOptions) {
    this.task = new PeriodicTask(() => this.deleteOldest(), options.intervalMs ?? 60_000);
  }

  /** Prunes now, then every interval. */
  start(): void {
    this.task.start(true);
  }

  async stop(): Promise<void> {
    await this.task.stop();
  }

  private async deleteOldest(): Promise<number> {
    const { queries, keep, logger } = this.options;
    try {
      const deleted = await queries.pruneEvents(keep);
      if (deleted > 0) logger.debug({ deleted, kept: keep }, 'pruned the job change log');
      return deleted;
    } catch (error) {
      logger.error({ err: error }, 'pruning the job change log failed');
      return 0;
    }
  }
}
