import type { JobDetails } from '@jobs/client';
import { formatDuration, formatTimestamp } from './jobTimes.js';

const headers = ['SUBMISSION ID', 'STATUS', 'SUBMITTED', 'DURATION', 'ENTRYPOINT'] as const;

/** Jobs as a table with aligned columns, one line per job; the entrypoint last and unpadded. */
export function formatJobsTable(jobs: readonly JobDetails[], now = Date.now()): string {
  const rows: string[][] = [
    [...headers],
    ...jobs.map((job) => [
      job.submission_id,
      job.status,
      formatTimestamp(job.start_time),
      formatDuration(job, now),
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
