import type { JobStatus } from '@jobs/contract';
import type { JobFilter, JobTimes, JobTiming } from '../jobQueries.js';
import { postgresJobCandidates } from './postgresJobFilter.js';
import type { RunQuery } from './postgresRunQuery.js';

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
  // The candidates carry only the columns `where` reads (a metadata walk: its index alone); the
  // times are looked up by primary key.
  const rows = await query<{
    start_time: string;
    end_time: string | null;
    status: JobStatus;
    matched: boolean;
  }>(
    `SELECT times.submitted AS start_time, times.ended AS end_time, jobs.status,
            (${where}) AS matched
     FROM (${candidates}) AS jobs,
          LATERAL (SELECT t.start_time AS submitted, t.end_time AS ended
                   FROM jobs AS t WHERE t.seq = jobs.seq) AS times`,
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

/** When one job was submitted, started running and ended; undefined when there is none. */
export async function readPostgresJobTiming(
  query: RunQuery,
  submissionId: string,
): Promise<JobTiming | undefined> {
  const [row] = await query<{
    start_time: string;
    running_since: string | null;
    end_time: string | null;
  }>('SELECT start_time, running_since, end_time FROM jobs WHERE submission_id = $1', [
    submissionId,
  ]);
  if (row === undefined) return undefined;
  const ms = (value: string | null) => (value === null ? null : Number(value));
  return {
    startTime: Number(row.start_time),
    runningSince: ms(row.running_since),
    endTime: ms(row.end_time),
  };
}
