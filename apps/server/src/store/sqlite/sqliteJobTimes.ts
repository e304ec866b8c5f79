import type Database from 'better-sqlite3';
import type { JobFilter, JobTimes, JobTiming } from '../jobQueries.js';
import { sqliteJobCandidates } from './sqliteJobFilter.js';

/**
 * The times of the jobs matching `filter` among at most `scanLimit` candidates, walked as a
 * filtered count walks them. Every candidate comes back (flagged when it matches), so that
 * their number tells whether the walk stopped at its limit; a row is three numbers.
 */
export function readSqliteJobTimes(
  db: Database.Database,
  filter: JobFilter,
  scanLimit: number,
): { jobs: JobTimes[]; capped: boolean } {
  const { where, params, candidates, candidateParams } = sqliteJobCandidates(filter);
  // Only the candidates' seq is kept: `where` reads the job row's columns by their bare names.
  const rows = db
    .prepare(
      `SELECT jobs.start_time AS startTime, jobs.end_time AS endTime, jobs.status AS status,
              (${where}) AS matched
       FROM (SELECT seq FROM (${candidates})) AS candidate JOIN jobs ON jobs.seq = candidate.seq`,
    )
    .all(...params, ...candidateParams, scanLimit) as (JobTimes & { matched: number })[];
  return {
    jobs: rows
      .filter((row) => row.matched === 1)
      .map(({ startTime, endTime, status }) => ({ startTime, endTime, status })),
    capped: rows.length >= scanLimit,
  };
}

/** When one job was submitted, started running and ended; undefined when there is none. */
export function readSqliteJobTiming(
  db: Database.Database,
  submissionId: string,
): JobTiming | undefined {
  return db
    .prepare(
      `SELECT start_time AS startTime, running_since AS runningSince, end_time AS endTime
       FROM jobs WHERE submission_id = ?`,
    )
    .get(submissionId) as JobTiming | undefined;
}
