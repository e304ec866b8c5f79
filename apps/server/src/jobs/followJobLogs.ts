import { isTerminalStatus, type JobDetails } from '@jobs/contract';
import type { JobLogs, LogSlice } from '../logs/jobLogs.js';

export type LogFollowEvent =
  | { type: 'log'; start: number; end: number; text: string }
  | { type: 'idle' }
  | { type: 'end'; job: JobDetails };

const CHUNK_BYTES = 256 * 1024;

/**
 * Followers woken per turn of the event loop. Each writes its client's share at once; a
 * thousand of them woken together held the event loop (health probes included) for hundreds
 * of milliseconds at every line a busy job wrote.
 */
const WAKES_PER_TURN = 64;

function wakeInTurns(wakes: readonly (() => void)[]): void {
  for (const wake of wakes.slice(0, WAKES_PER_TURN)) wake();
  if (wakes.length > WAKES_PER_TURN) {
    setImmediate(() => {
      wakeInTurns(wakes.slice(WAKES_PER_TURN));
    });
  }
}

/** What a watch saw at its latest look: the job, then the log's newest bytes. */
interface LogSnapshot {
  /** Read before `slice`: once it is terminal, `slice.size` is the log's final size. */
  job: JobDetails;
  /** The bytes the log grew by since the look before (empty when it did not grow). */
  slice: LogSlice;
}

/**
 * One poll of one job's log and status, shared by every client following that log: however many
 * follow it, the job is read and the file looked at once per poll, and new output is read once
 * and handed to each of them.
 */
class LogWatch {
  private snapshot: LogSnapshot | undefined;
  private failure: Error | undefined;
  private position: number | undefined;
  private waiters = new Set<() => void>();
  private followers = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly logs: JobLogs,
    private readonly submissionId: string,
    private readonly getJob: () => Promise<JobDetails>,
    private readonly pollMs: number,
    private readonly onIdle: () => void,
  ) {}

  join(): void {
    this.followers++;
    if (this.followers === 1) this.schedule(0);
  }

  leave(): void {
    this.followers--;
    if (this.followers > 0) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.onIdle();
  }

  /** The latest look, waiting for the first one; throws what the poll failed with. */
  async current(signal: AbortSignal): Promise<LogSnapshot | undefined> {
    if (this.snapshot === undefined && this.failure === undefined) await this.next(signal, 60_000);
    if (this.failure !== undefined) throw this.failure;
    return this.snapshot;
  }

  /** Resolves at the next change the watch sees, when `signal` aborts, or after `timeoutMs`. */
  next(signal: AbortSignal, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
  }

  private schedule(delayMs: number): void {
    if (this.followers === 0 || this.polling) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      void this.poll();
    }, delayMs);
  }

  private async poll(): Promise<void> {
    this.polling = true;
    let changed = false;
    let more = false;
    try {
      // Status first: once it is terminal, everything the driver wrote is already in the file.
      const job = await this.getJob();
      let slice: LogSlice;
      if (this.position === undefined) {
        // Followers catch up on their own; the watch hands out only what is written from now on.
        const size = await this.logs.size(this.submissionId);
        slice = { text: '', start: size, end: size, size };
      } else {
        slice = await this.logs.readRange(this.submissionId, this.position, CHUNK_BYTES);
        // The log was cut to its size limit: go on from its new start, which says what was cut.
        if (slice.size < this.position)
          slice = await this.logs.readRange(this.submissionId, 0, CHUNK_BYTES);
      }
      const before = this.snapshot;
      changed =
        before === undefined ||
        slice.end > slice.start ||
        slice.size !== before.slice.size ||
        job.status !== before.job.status;
      this.snapshot = { job, slice };
      this.position = slice.end;
      more = slice.end < slice.size;
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
      changed = true;
    } finally {
      this.polling = false;
    }
    if (changed) wakeInTurns([...this.waiters]);
    if (this.failure === undefined) this.schedule(more ? 0 : this.pollMs);
  }
}

export interface FollowOptions {
  /** The job's log from this byte on. */
  from: number;
  signal: AbortSignal;
}

/** Keeps one LogWatch per followed job while anyone follows it. */
export class LogFollowers {
  private readonly watches = new Map<string, LogWatch>();

  constructor(
    private readonly logs: JobLogs,
    /** The job as it is now; throws when it is gone. */
    private readonly getJob: (submissionId: string) => Promise<JobDetails>,
    private readonly pollMs = 200,
    /** An `idle` event after this long without output, so idle connections stay open. */
    private readonly idleMs = 15_000,
  ) {}

  /**
   * A job's log from byte `from`, then its new output as it is written, then the job once it
   * has ended. Memory stays bounded by one chunk whatever the log's size.
   */
  async *follow(submissionId: string, options: FollowOptions): AsyncGenerator<LogFollowEvent> {
    const { signal } = options;
    let watch = this.watches.get(submissionId);
    if (watch === undefined) {
      watch = new LogWatch(
        this.logs,
        submissionId,
        () => this.getJob(submissionId),
        this.pollMs,
        () => this.watches.delete(submissionId),
      );
      this.watches.set(submissionId, watch);
    }
    watch.join();
    try {
      let offset = options.from;
      let idleSince = Date.now();
      while (!signal.aborted) {
        const snapshot = await watch.current(signal);
        if (snapshot === undefined) continue;
        const { job, slice } = snapshot;
        let own: LogSlice | undefined;
        if (slice.start === offset && slice.end > offset) {
          own = slice;
        } else if (offset !== slice.end) {
          // Not where the watch hands out from next (a new follower, one resuming, one that
          // read ahead of the watch): read alone until it is.
          own = await this.logs.readRange(submissionId, offset, CHUNK_BYTES);
          if (own.size < offset) {
            // The log was cut to its size limit: go on from its new start, which says what was cut.
            offset = 0;
            continue;
          }
        }
        if (own !== undefined && own.end > offset) {
          yield { type: 'log', start: own.start, end: own.end, text: own.text };
          offset = own.end;
          idleSince = Date.now();
          continue;
        }
        if (offset === slice.size && isTerminalStatus(job.status)) {
          yield { type: 'end', job };
          return;
        }
        const quiet = Date.now() - idleSince;
        if (quiet >= this.idleMs) {
          yield { type: 'idle' };
          idleSince = Date.now();
          continue;
        }
        await watch.next(signal, this.idleMs - quiet);
      }
    } finally {
      watch.leave();
    }
  }
}
