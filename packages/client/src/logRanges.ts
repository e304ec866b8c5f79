import { MAX_LOG_READ_BYTES } from '@jobs/contract';
import type { JobsClient } from './createJobsClient.js';
import { okBody } from './jobsApiError.js';

export interface LogRange {
  text: string;
  /** Byte offset right after `text`: where the next read starts. */
  end: number;
}

/**
 * A job's log from byte `fromOffset` to its end as it is now, read in bounded ranges (16 MiB at
 * most each), so a log of any size is read with bounded memory. A log cut to its size limit
 * meanwhile is read on from its new start.
 */
export async function* readLogRanges(
  client: JobsClient,
  submissionId: string,
  options: { fromOffset?: number; signal?: AbortSignal | undefined } = {},
): AsyncGenerator<LogRange, void, undefined> {
  const params = { submission_id: submissionId };
  const fetchOptions = options.signal ? { signal: options.signal } : {};
  let offset = options.fromOffset ?? 0;
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
      offset = 0;
      continue;
    }
    if (end <= offset) return;
    yield { text: logs, end };
    if (end >= size) return;
    offset = end;
  }
}
