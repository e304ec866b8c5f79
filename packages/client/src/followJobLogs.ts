import type { JobsClient } from './createJobsClient.js';
import { sseLogTransport } from './sseLogTransport.js';

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

/**
 * A job's log as it is written: the text so far, then every new piece until the job has ended.
 * Throws a `JobsApiError` for an unknown job.
 *
 * ```ts
 * for await (const chunk of followJobLogs(client, 'my-job')) process.stdout.write(chunk);
 * ```
 */
export function followJobLogs(
  client: JobsClient,
  submissionId: string,
  options: FollowJobLogsOptions = {},
): AsyncIterable<string> {
  const { transport = sseLogTransport, ...rest } = options;
  return transport(client, submissionId, rest);
}
