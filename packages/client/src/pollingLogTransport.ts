import { isTerminalStatus } from '@jobs/contract';
import { abortableDelay } from './abortableDelay.js';
import type { JobLogTransport } from './jobLogTransport.js';
import { okBody } from './jobsApiError.js';
import { readLogRanges } from './logRanges.js';

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
  const fetchOptions = signal ? { signal } : {};
  let offset = fromOffset;
  for (;;) {
    signal?.throwIfAborted();
    const job = okBody(
      await client.getJob({ params: { submission_id: submissionId }, fetchOptions }),
    );
    for await (const range of readLogRanges(client, submissionId, { fromOffset: offset, signal })) {
      if (range.text !== '') yield range.text;
      offset = range.end;
    }
    if (isTerminalStatus(job.status)) return;
    await abortableDelay(intervalMs, signal);
  }
};
