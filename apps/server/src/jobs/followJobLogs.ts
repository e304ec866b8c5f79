import { isTerminalStatus, type JobDetails } from '@jobs/contract';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JobLogs } from '../logs/jobLogs.js';

export type LogFollowEvent =
  | { type: 'log'; start: number; end: number; text: string }
  | { type: 'idle' }
  | { type: 'end'; job: JobDetails };

export interface FollowOptions {
  logs: JobLogs;
  /** The job as it is now; throws when it is gone. */
  getJob: () => Promise<JobDetails>;
  submissionId: string;
  from: number;
  signal: AbortSignal;
  pollMs?: number;
  /** An `idle` event after this long without output, so idle connections stay open. */
  idleMs?: number;
}

const CHUNK_BYTES = 256 * 1024;

/**
 * A job's log from byte `from`, then its new output as it is written, then the job once it has
 * ended. Memory stays bounded by one chunk whatever the log's size.
 */
export async function* followJobLogs(options: FollowOptions): AsyncGenerator<LogFollowEvent> {
  const { logs, submissionId, signal } = options;
  const pollMs = options.pollMs ?? 200;
  const idleMs = options.idleMs ?? 15_000;
  let offset = options.from;
  let idleSince = Date.now();
  while (!signal.aborted) {
    // Status first: once it is terminal, everything the driver wrote is already in the file.
    const job = await options.getJob();
    let slice = await logs.readRange(submissionId, offset, CHUNK_BYTES);
    if (slice.size < offset) {
      // The log was cut to its size limit: go on from its new start, which says what was cut.
      offset = 0;
      slice = await logs.readRange(submissionId, offset, CHUNK_BYTES);
    }
    if (slice.end > offset) {
      yield { type: 'log', start: slice.start, end: slice.end, text: slice.text };
      offset = slice.end;
      idleSince = Date.now();
      continue;
    }
    if (isTerminalStatus(job.status)) {
      yield { type: 'end', job };
      return;
    }
    if (Date.now() - idleSince >= idleMs) {
      yield { type: 'idle' };
      idleSince = Date.now();
    }
    await sleep(pollMs, undefined, { signal }).catch(() => undefined);
  }
}
