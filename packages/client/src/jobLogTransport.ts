import type { JobsClient } from './createJobsClient.js';

/** How `followJobLogs` follows a log, and the transports it can follow it over. */
export interface FollowJobLogsOptions {
  /** Aborting it ends the iteration (rejecting with the signal's reason). */
  signal?: AbortSignal;
  /**
   * Byte offset of the log to start from, e.g. to show only the end of a large log. An offset
   * inside a line (or a character) starts there: the caller trims what it does not want.
   */
  fromOffset?: number;
  /** For `pollingLogTransport`: time between two reads. Default 500 ms. */
  intervalMs?: number;
  /** How log text reaches the client: the server's event stream unless another is given. */
  transport?: JobLogTransport;
}

/**
 * Yields a job's log text as it grows, each value the part not yielded before, and ends once
 * the job has reached a terminal status and its whole log has been yielded.
 */
export type JobLogTransport = (
  client: JobsClient,
  submissionId: string,
  options: Omit<FollowJobLogsOptions, 'transport'>,
) => AsyncIterable<string>;
