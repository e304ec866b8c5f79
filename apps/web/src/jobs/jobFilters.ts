import { type JobDetails, type JobStatus, jobStatuses } from '@jobs/client';
import { startedAt } from './jobTimes.js';

export interface JobFilter {
  /** Only jobs in this status; every status when undefined. */
  status?: JobStatus;
  /** Words that must all appear in the id, entrypoint, message or a metadata value. */
  search: string;
  /** Only jobs whose metadata has this key (and, when given, this value). */
  metadataKey: string;
  metadataValue: string;
}

export const emptyFilter: JobFilter = { search: '', metadataKey: '', metadataValue: '' };

export function isFiltering(filter: JobFilter): boolean {
  return (
    filter.status !== undefined ||
    filter.search.trim() !== '' ||
    filter.metadataKey.trim() !== '' ||
    filter.metadataValue.trim() !== ''
  );
}

function searchableText(job: JobDetails): string {
  return [job.submission_id, job.entrypoint, job.message, ...Object.values(job.metadata)]
    .join('\n')
    .toLowerCase();
}

function matchesMetadata(job: JobDetails, key: string, value: string): boolean {
  if (key === '') {
    return value === '' || Object.values(job.metadata).some((v) => v === value);
  }
  const actual = job.metadata[key];
  return actual !== undefined && (value === '' || actual === value);
}

/** The jobs the filter lets through, newest submission first. */
export function filterJobs(jobs: readonly JobDetails[], filter: JobFilter): JobDetails[] {
  const words = filter.search.toLowerCase().split(/\s+/).filter(Boolean);
  const key = filter.metadataKey.trim();
  const value = filter.metadataValue.trim();
  return jobs
    .filter((job) => filter.status === undefined || job.status === filter.status)
    .filter((job) => matchesMetadata(job, key, value))
    .filter((job) => {
      if (words.length === 0) return true;
      const text = searchableText(job);
      return words.every((word) => text.includes(word));
    })
    .sort((a, b) => startedAt(b) - startedAt(a));
}

/** How many jobs are in each status; every status is present, zero included. */
export function countByStatus(jobs: readonly JobDetails[]): Record<JobStatus, number> {
  const counts = Object.fromEntries(jobStatuses.map((status) => [status, 0])) as Record<
    JobStatus,
    number
  >;
  for (const job of jobs) counts[job.status] += 1;
  return counts;
}
