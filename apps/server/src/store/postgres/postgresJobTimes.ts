import type { JobStatus } from '@jobs/contract';
import type { JobFilter, JobTimes } from '../jobQueries.js';
import { postgresJobCandidates } from './postgresJobFilter.js';
import type { RunQuery } from './postgresJobQueries.js';

/**
 * The times of the jobs matching `filter` among at most `scanLimit` candidates, walked as a
 * filtered count walks them. Every candidate comes back (flagged when it matches), so that
 * their number tells whether the walk stopped at its limit; a row is three numbers.
 */
export async function readPostgresJobTimes(
  query: RunQuery,
  filter: JobFilter,
  scanLimit: number,
): Promise<{ jobs: JobTimes[]; capped: boolean }> {
  const { where, candidates, params } = postgresJobCandidates(filter, scanLimit);
  // The candidates carry the columns `where` reads; the end time is looked up by primary key.
  const rows = await query<{
    start_time: string;
    end_time: string | null;
    status: JobStatus;
    matched: boolean;
  }>(
    `SELECT jobs.start_time, jobs.status, (${where}) AS matched,
            (SELECT ended.end_time FROM jobs AS ended WHERE ended.seq = jobs.seq) AS end_time
     FROM (${candidates}) AS jobs`,
    params,
  );
  return {
    jobs: rows
      .filter((row) => row.matched)
      .map((row) => ({
        startTime: Number(row.start_time),
        endTime: row.end_time === null ? null : Number(row.end_time),
        status: row.status,
      })),
    capped: rows.length >= scanLimit,
  };
}
