import { isTerminalStatus } from '@jobs/contract';
import { abortableDelay } from './abortableDelay.js';
import type { JobLogTransport } from './followJobLogs.js';
import { okBody } from './jobsApiError.js';

/**
 * Follows a log by reading the job and then its whole log every `intervalMs`, yielding what was
 * appended. The job is read before the log so that, once it is seen terminal, the log read after
 * it is complete.
 */
export const pollingLogTransport: JobLogTransport = async function* (
  client,
  submissionId,
  { signal, intervalMs = 500 },
) {
  const params = { submission_id: submissionId };
  const fetchOptions = signal ? { signal } : {};
  let yielded = 0;
  for (;;) {
    signal?.throwIfAborted();
    const job = okBody(await client.getJob({ params, fetchOptions }));
    const { logs } = okBody(await client.getJobLogs({ params, fetchOptions }));
    if (logs.length > yielded) {
      yield logs.slice(yielded);
      yielded = logs.length;
    }
    if (isTerminalStatus(job.status)) return;
    await abortableDelay(intervalMs, signal);
  }
};
