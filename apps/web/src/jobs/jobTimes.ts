import type { JobDetails } from '@jobs/client';
import { startedAt } from '@jobs/react';

/** How long the job ran, or has been running so far while it has no end time. */
export function jobDurationMs(job: JobDetails, nowMs: number): number {
  const end = job.end_time === '' ? nowMs : Number(job.end_time);
  return end - startedAt(job);
}
