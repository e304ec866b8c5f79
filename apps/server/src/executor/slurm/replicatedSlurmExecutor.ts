import type { Logger } from 'pino';
import type { JobRecord } from '../../domain/jobRecord.js';
import type { JobStore } from '../../store/jobStore.js';
import type { LeaderTask } from '../../upkeep/leadership.js';
import type { JobExecutor } from '../jobExecutor.js';
import type { SlurmExecutor } from './slurmExecutor.js';

export interface ReplicatedSlurmExecutorOptions {
  /** A new executor for each term of leadership (a released one polls no more). */
  create: () => SlurmExecutor;
  store: Pick<JobStore, 'listActive' | 'queries'>;
  logger: Logger;
  /** Time between two looks at the store besides those its change notifications cause. */
  rescanMs: number;
}

/** What one term of leadership submits and follows. */
interface Term {
  executor: SlurmExecutor;
  /** Jobs handed to the executor in this term. */
  adopted: Set<string>;
  /** Whether the first pass (recovering what an earlier leader left) is done. */
  recovered: boolean;
  pass: Promise<void> | undefined;
  /** A change arrived while a pass ran: run one more. */
  again: boolean;
  unsubscribe: () => void;
  timer: NodeJS.Timeout;
}

/**
 * Slurm jobs for one of several servers sharing one PostgreSQL store. Any server accepts, lists,
 * streams and stops; only the leader submits to Slurm, polls it and records outcomes, so each
 * job is submitted once and its end recorded once. The leader finds new jobs and stop requests
 * in the store (at every change any server commits, and on a timer); a stop is also sent to
 * Slurm at once by the server that took the request, by the Slurm job id in the record.
 */
export class ReplicatedSlurmExecutor implements JobExecutor, LeaderTask {
  readonly name = 'slurm jobs';
  /** Never submits: stops jobs by their Slurm id, answers readiness, removes run dirs. */
  private readonly standby: SlurmExecutor;
  private term: Term | undefined;

  constructor(private readonly options: ReplicatedSlurmExecutorOptions) {
    this.standby = options.create();
  }

  get activeCount(): number {
    return this.term?.executor.activeCount ?? 0;
  }

  /** The leader, this server or another, submits it once it sees the committed job. */
  start(): void {
    if (this.term !== undefined) void this.scan(this.term);
  }

  async stop(job: JobRecord, message: string): Promise<boolean> {
    const term = this.term;
    if (term !== undefined && (await term.executor.stop(job, message))) return true;
    await this.standby.stopUnfollowed(job);
    return true;
  }

  /** Nothing to do at start: every active job is the leader's. */
  recover(): Promise<void> {
    return Promise.resolve();
  }

  /** Jobs belong to every server sharing the store: one leaving only stops following them. */
  release(): Promise<void> {
    return this.standDown();
  }

  /** As release: one server of several never stops the jobs of all of them. */
  stopAll(): Promise<void> {
    return this.standDown();
  }

  notReadyReason(): Promise<string | undefined> {
    return this.standby.notReadyReason();
  }

  remove(submissionId: string): Promise<void> {
    return this.standby.remove(submissionId);
  }

  async lead(): Promise<void> {
    if (this.term !== undefined) return;
    const term: Term = {
      executor: this.options.create(),
      adopted: new Set(),
      recovered: false,
      pass: undefined,
      again: false,
      unsubscribe: () => {},
      timer: setInterval(() => void this.scan(term), this.options.rescanMs).unref(),
    };
    this.term = term;
    term.unsubscribe = this.options.store.queries.onChange(() => void this.scan(term));
    await this.scan(term);
  }

  async standDown(): Promise<void> {
    const term = this.term;
    if (term === undefined) return;
    this.term = undefined;
    term.unsubscribe();
    clearInterval(term.timer);
    await term.pass;
    // Jobs keep running in Slurm; the next leader follows them by their Slurm job ids.
    await term.executor.release();
  }

  /** Runs a pass, or one more after the pass under way (which may have read the store too early). */
  private scan(term: Term): Promise<void> {
    term.again = true;
    term.pass ??= this.passes(term).finally(() => {
      term.pass = undefined;
    });
    return term.pass;
  }

  private async passes(term: Term): Promise<void> {
    while (this.term === term && this.takeRequest(term)) {
      try {
        await this.adopt(term);
      } catch (error) {
        this.options.logger.warn({ err: error }, 'could not take up the active jobs; retrying');
      }
    }
  }

  private takeRequest(term: Term): boolean {
    const requested = term.again;
    term.again = false;
    return requested;
  }

  /** Hands the executor the active jobs it does not have yet, and the stops asked for since. */
  private async adopt(term: Term): Promise<void> {
    const active = await this.options.store.listActive();
    if (this.term !== term) return;
    const activeIds = new Set(active.map((job) => job.submissionId));
    for (const id of term.adopted) if (!activeIds.has(id)) term.adopted.delete(id);
    const fresh = active.filter((job) => !term.adopted.has(job.submissionId));
    if (!term.recovered) {
      // An earlier leader may have died between sbatch and recording the Slurm job id:
      // recover finds such jobs by name instead of submitting them again. Until it has
      // succeeded (Slurm answers), every pass tries the whole of it again.
      await term.executor.recover(fresh);
      term.recovered = true;
    } else {
      // Jobs accepted since this term began; only this leader submits, so none is in Slurm yet.
      const followed = fresh.filter((job) => job.driver !== null && job.driver.ref !== '');
      await term.executor.recover(followed);
      for (const job of fresh) if (!followed.includes(job)) term.executor.start(job);
    }
    for (const job of fresh) term.adopted.add(job.submissionId);
    const freshIds = new Set(fresh.map((job) => job.submissionId));
    for (const job of active) {
      if (job.stopMessage !== null && !freshIds.has(job.submissionId)) {
        await term.executor.stop(job, job.stopMessage);
      }
    }
  }
}
