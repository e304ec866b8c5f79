import type { Logger } from 'pino';
import { PeriodicTask } from '../upkeep/periodicTask.js';
import type { PackageStore } from './packageStore.js';

/**
 * Deletes uploaded packages nobody has used (uploaded, asked for, or started a job in) for
 * `unusedMs`. Jobs extract a package when they start, so removing it later takes nothing from them.
 */
export class PackageSweeper {
  private readonly task: PeriodicTask<string[]>;

  constructor(
    private readonly store: PackageStore,
    private readonly unusedMs: number,
    private readonly logger: Logger,
  ) {
    const interval = Math.min(60_000, Math.max(500, unusedMs / 10));
    this.task = new PeriodicTask(() => this.removeUnused(), interval);
  }

  start(): void {
    this.task.start();
  }

  async stop(): Promise<void> {
    await this.task.stop();
  }

  private async removeUnused(): Promise<string[]> {
    try {
      const removed = await this.store.removeUnused(Date.now() - this.unusedMs);
      if (removed.length > 0) this.logger.info({ packages: removed }, 'removed unused packages');
      return removed;
    } catch (error) {
      this.logger.error({ err: error }, 'removing unused packages failed');
      return [];
    }
  }
}
