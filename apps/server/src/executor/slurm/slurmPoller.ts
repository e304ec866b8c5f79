import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { type SlurmCli, SlurmCommandError } from './slurmCli.js';
import { SQUEUE_FORMAT, type SlurmJobState, parseSqueue } from './slurmJobState.js';

/** Called on every poll with the job's state, or undefined once Slurm no longer knows the job. */
export type SlurmJobListener = (state: SlurmJobState | undefined) => Promise<void>;

/**
 * Watches every active job with one `squeue` call per interval, however many jobs there are
 * (a process per job and poll would cost more than the jobs at a thousand of them).
 */
export class SlurmPoller {
  private readonly listeners = new Map<string, SlurmJobListener>();
  private loop: Promise<void> | undefined;
  private readonly closing = new AbortController();

  constructor(
    private readonly cli: SlurmCli,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  watch(jobId: string, listener: SlurmJobListener): void {
    this.listeners.set(jobId, listener);
    this.loop ??= this.run().finally(() => {
      this.loop = undefined;
    });
  }

  unwatch(jobId: string): void {
    this.listeners.delete(jobId);
  }

  get watching(): number {
    return this.listeners.size;
  }

  /** Stops polling; resolves once a poll under way has finished. */
  async close(): Promise<void> {
    this.closing.abort();
    await this.loop;
  }

  /** The state of the given jobs in one call; a job Slurm no longer knows is absent. */
  async query(jobIds: readonly string[]): Promise<Map<string, SlurmJobState>> {
    if (jobIds.length === 0) return new Map();
    try {
      const out = await this.cli.run('squeue', [
        '--noheader',
        '--states=all',
        `--jobs=${jobIds.join(',')}`,
        `--format=${SQUEUE_FORMAT}`,
      ]);
      return parseSqueue(out);
    } catch (error) {
      // squeue fails this way only when none of the jobs is known any more.
      if (error instanceof SlurmCommandError && error.reason.includes('Invalid job id')) {
        return new Map();
      }
      throw error;
    }
  }

  private async run(): Promise<void> {
    const { signal } = this.closing;
    while (!signal.aborted && this.listeners.size > 0) {
      await this.pollOnce();
      // Rejects at once when closed.
      await sleep(this.intervalMs, undefined, { signal }).catch(() => undefined);
    }
  }

  private async pollOnce(): Promise<void> {
    const watched = [...this.listeners.entries()];
    let states: Map<string, SlurmJobState>;
    try {
      states = await this.query(watched.map(([jobId]) => jobId));
    } catch (error) {
      this.logger.warn({ err: error }, 'could not read the state of Slurm jobs; retrying');
      return;
    }
    await Promise.all(
      watched.map(async ([jobId, listener]) => {
        // Unwatched while squeue ran: its job ended through another path.
        if (this.listeners.get(jobId) !== listener) return;
        try {
          await listener(states.get(jobId));
        } catch (error) {
          this.logger.error({ err: error, slurmJobId: jobId }, 'could not record a Slurm job');
        }
      }),
    );
  }
}
