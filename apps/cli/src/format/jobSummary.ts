import type { JobDetails } from '@jobs/client';
import { formatDuration, formatTimestamp } from './jobTimes.js';

/** One job as "key: value" lines, for `jobctl status`. */
export function formatJobSummary(job: JobDetails, now = Date.now()): string {
  const lines: [string, string][] = [
    ['submission_id', job.submission_id],
    ['status', job.status],
    ['entrypoint', job.entrypoint],
    ['submitted', formatTimestamp(job.start_time)],
    ['ended', formatTimestamp(job.end_time)],
    ['duration', formatDuration(job, now)],
    ['exit_code', job.driver_exit_code === null ? '-' : String(job.driver_exit_code)],
  ];
  if (job.error_type !== '') lines.push(['error_type', job.error_type]);
  if (Object.keys(job.metadata).length > 0) lines.push(['metadata', JSON.stringify(job.metadata)]);
  if (job.message !== '') lines.push(['message', job.message]);
  const width = Math.max(...lines.map(([key]) => key.length));
  // Continuation lines (a multi-line message or entrypoint) stay in the value column.
  const indent = ' '.repeat(width + 2);
  return lines
    .map(
      ([key, value]) =>
        `${`${key}:`.padEnd(width + 2)}${value.replace(/\n(?!$)/g, `\n${indent}`)}\n`,
    )
    .join('');
}
