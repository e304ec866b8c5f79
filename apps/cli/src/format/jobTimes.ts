import type { JobDetails } from '@jobs/client';

/** A millisecond-epoch string as a UTC timestamp to the second, or '-' when empty. */
export function formatTimestamp(epochMs: string): string {
  if (epochMs === '') return '-';
  const date = new Date(Number(epochMs));
  return Number.isNaN(date.getTime()) ? epochMs : `${date.toISOString().slice(0, 19)}Z`;
}

/** How long the job ran (or has been running, as of `now`), e.g. "4s", "2m05s", "1h02m". */
export function formatDuration(job: JobDetails, now = Date.now()): string {
  if (job.start_time === '') return '-';
  const end = job.end_time === '' ? now : Number(job.end_time);
  const seconds = Math.max(0, Math.round((end - Number(job.start_time)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
