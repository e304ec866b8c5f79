import type { JobDetails } from '@jobs/client';

/**
 * Why a job failed or was stopped: the first line of its message, without the pointer to the
 * log tail that follows it there. '' for other jobs.
 */
export function failureReason(job: JobDetails): string {
  if (job.status !== 'FAILED' && job.status !== 'STOPPED') return '';
  const firstLine = job.message.split('\n')[0] ?? '';
  return firstLine.replace(/\s*Last lines of its log:$/, '');
}
