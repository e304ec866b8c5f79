import { isTerminalStatus, type JobDetails, type JobStatus } from '@jobs/contract';
import { abortableDelay } from './abortableDelay.js';
import type { JobsClient } from './createJobsClient.js';
import { okBody } from './jobsApiError.js';

export interface WaitForJobOptions {
  /** `'terminal'` (the default): SUCCEEDED, FAILED or STOPPED. Or one status, or several. */
  until?: 'terminal' | JobStatus | readonly JobStatus[];
  /** Give up after this long, rejecting with a `TimeoutError` DOMException. Default: no limit. */
  timeoutMs?: number;
  /** Aborting it rejects with the signal's reason and cancels the request in flight. */
  signal?: AbortSignal;
  /** Time between two reads of the job. Default 500 ms. */
  intervalMs?: number;
  /** Called with every state read, e.g. to show progress. */
  onPoll?: (job: JobDetails) => void;
}

/**
 * Resolves with the job once its status is one of `until`. It also resolves when the job
 * reaches a terminal status that is not one of `until`, because a terminal status never changes
 * again: check `job.status`. Rejects with a `JobsApiError` when the API answers non-2xx (e.g. 404
 * once the job is deleted).
 */
export async function waitForJob(
  client: JobsClient,
  submissionId: string,
  options: WaitForJobOptions = {},
): Promise<JobDetails> {
  const { until = 'terminal', timeoutMs, intervalMs = 500, onPoll } = options;
  const wanted = (status: JobStatus) =>
    until === 'terminal'
      ? isTerminalStatus(status)
      : typeof until === 'string'
        ? status === until
        : until.includes(status);
  const signals = [options.signal, timeoutMs === undefined ? undefined : timeoutSignal(timeoutMs)];
  const signal = anySignal(signals.filter((s): s is AbortSignal => s !== undefined));
  for (;;) {
    signal?.throwIfAborted();
    const job = okBody(
      await client.getJob({
        params: { submission_id: submissionId },
        fetchOptions: signal ? { signal } : {},
      }),
    );
    onPoll?.(job);
    if (wanted(job.status) || isTerminalStatus(job.status)) return job;
    await abortableDelay(intervalMs, signal);
  }
}

function timeoutSignal(ms: number): AbortSignal {
  const controller = new AbortController();
  // Unref'd where supported so a pending wait never keeps a Node process alive by itself.
  const timer = setTimeout(() => {
    controller.abort(
      new DOMException(`Timed out after ${ms} ms waiting for the job.`, 'TimeoutError'),
    );
  }, ms) as unknown as { unref?: () => void };
  timer.unref?.();
  return controller.signal;
}

function anySignal(signals: AbortSignal[]): AbortSignal | undefined {
  if (signals.length <= 1) return signals[0];
  return AbortSignal.any(signals);
}
