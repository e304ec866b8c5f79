import type { Response } from 'express';
import { JobsError } from '../errors.js';

/** More requests of a kind are in progress than its limit allows: answered 429 with Retry-After. */
export class ConcurrencyLimitError extends JobsError {
  constructor(
    readonly retryAfterSeconds: number,
    what: string,
    limit: number,
    setting: string,
  ) {
    super(
      'RATE_LIMITED',
      `Too many ${what} at once (the limit is ${limit}, ${setting}); retry after ${retryAfterSeconds} seconds.`,
    );
  }
}

export interface ConcurrencyLimitOptions {
  /** Most requests of this kind in progress at once. */
  max: number;
  /** What is counted, plural, for the refusal's message, e.g. 'log streams open'. */
  what: string;
  /** The setting that raises the limit, named in the refusal. */
  setting: string;
  retryAfterSeconds: number;
}

/**
 * Bounds how many requests of one kind the server serves at once, so that a crowd of heavy
 * requests cannot starve the rest (health checks included). A request beyond the limit is
 * refused at once rather than queued: a queue would hold its socket and memory all the same.
 */
export class ConcurrencyLimit {
  private active = 0;

  constructor(private readonly options: ConcurrencyLimitOptions) {}

  /** Takes a slot for the response until it closes (finished or abandoned), or throws. */
  hold(res: Response): void {
    const { max, what, setting, retryAfterSeconds } = this.options;
    if (this.active >= max) throw new ConcurrencyLimitError(retryAfterSeconds, what, max, setting);
    this.active++;
    res.once('close', () => {
      this.active--;
    });
  }
}

/**
 * Enough for every dashboard tab and `jobctl logs --follow` of a busy team; each open stream
 * costs a socket and a few KiB, and followers of one log share one poll of it.
 */
export const DEFAULT_MAX_LOG_STREAMS = 1000;
/** Eight per core of a small server: a read streams from the file, one chunk at a time. */
export const DEFAULT_MAX_CONCURRENT_LOG_READS = 16;

/** The limits on heavy reads: open streams (log and event streams together) and log reads. */
export interface ReadLimits {
  streams: ConcurrencyLimit;
  logReads: ConcurrencyLimit;
}

export function createReadLimits(maxStreams: number, maxLogReads: number): ReadLimits {
  return {
    streams: new ConcurrencyLimit({
      max: maxStreams,
      what: 'log and event streams open',
      setting: '--max-log-streams',
      retryAfterSeconds: 5,
    }),
    logReads: new ConcurrencyLimit({
      max: maxLogReads,
      what: 'log reads in progress',
      setting: '--max-concurrent-log-reads',
      retryAfterSeconds: 1,
    }),
  };
}
