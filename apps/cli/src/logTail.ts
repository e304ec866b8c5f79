import { type JobsClient, okBody } from '@jobs/client';

/** The most lines the server's `?tail` reads. */
export const maxTailLines = 1_000_000;

export interface LogTail {
  /** The last lines of the log (the server reads back at most 16 MiB for them). */
  text: string;
  /** Byte offset of the log's end when it was read: where following it goes on. */
  end: number;
}

/** The last `lines` lines of a job's log, cut by the server rather than downloaded whole. */
export async function readLogTail(
  client: JobsClient,
  submissionId: string,
  lines: number,
): Promise<LogTail> {
  // `tail` starts at 1: for no lines, one is read for the log's end offset and dropped.
  const response = await client.getJobLogs({
    params: { submission_id: submissionId },
    query: { tail: Math.max(lines, 1) },
  });
  const { logs } = okBody(response);
  const endHeader = response.headers.get('x-log-end');
  const end = endHeader === null ? Number.NaN : Number(endHeader);
  if (!Number.isSafeInteger(end)) {
    throw new Error(`the server did not say where the log of ${submissionId} ends (X-Log-End)`);
  }
  return { text: lines === 0 ? '' : logs, end };
}
