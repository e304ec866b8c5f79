import type { JobDetails } from '@jobs/client';
import { failureReason } from './failureReason.js';
import { formatDuration, formatTimestamp } from './jobTimes.js';

const headers = [
  'SUBMISSION ID',
  'STATUS',
  'SUBMITTED',
  'DURATION',
  'REASON',
  'ENTRYPOINT',
] as const;

/** Longest reason shown; the whole message is in `jobctl status`. */
const MAX_REASON_CHARS = 60;

function reasonOf(job: JobDetails): string {
  const reason = failureReason(job);
  return reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS - 1)}…` : reason;
}

/** Jobs as a table with aligned columns, one line per job; the entrypoint last and unpadded. */
export function formatJobsTable(jobs: readonly JobDetails[], now = Date.now()): string {
  const rows: string[][] = [
    [...headers],
    ...jobs.map((job) => [
      job.submission_id,
      job.status,
      formatTimestamp(job.start_time),
      formatDuration(job, now),
      reasonOf(job),
      job.entrypoint.replace(/\s*\n\s*/g, ' '),
    ]),
  ];
  const widths = headers.map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? '').length)),
  );
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0),
        )
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}
