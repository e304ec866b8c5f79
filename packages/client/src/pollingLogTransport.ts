import { isTerminalStatus, MAX_LOG_READ_BYTES } from '@jobs/contract';
import { abortableDelay } from './abortableDelay.js';
import type { JobLogTransport } from './followJobLogs.js';
import { okBody } from './jobsApiError.js';

/**
 * Follows a log by reading the job and then the log from the last byte received every
 * `intervalMs`, yielding what was appended. The job is read before the log so that, once it is
 * seen terminal, the log read after it is complete.
 */
export const pollingLogTransport: JobLogTransport = async function* (
  client,
  submissionId,
  { signal, intervalMs = 500, fromOffset = 0 },
) {
  const params = { submission_id: submissionId };
  const fetchOptions = signal ? { signal } : {};
  let offset = fromOffset;
  for (;;) {
    signal?.throwIfAborted();
    const job = okBody(await client.getJob({ params, fetchOptions }));
    // Read until the end of the log as it is now, one bounded range at a time.
    for (;;) {
      const response = await client.getJobLogs({
        params,
        query: { offset, limit: MAX_LOG_READ_BYTES },
        fetchOptions,
      });
      const { logs } = okBody(response);
      const end = Number(response.headers.get('x-log-end') ?? offset);
      const size = Number(response.headers.get('x-log-size') ?? end);
      if (size < offset) {
        // The log was cut to its size limit: go on from its new start.
        offset = 0;
        continue;
      }
      if (logs !== '') yield logs;
      if (end <= offset || end >= size) {
        offset = Math.max(offset, end);
        break;
      }
      offset = end;
    }
    if (isTerminalStatus(job.status)) return;
    await abortableDelay(intervalMs, signal);
  }
};
