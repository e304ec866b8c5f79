import type { JobsClient } from './createJobsClient.js';
import type { FollowJobLogsOptions } from './jobLogTransport.js';
import { sseLogTransport } from './sseLogTransport.js';

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
