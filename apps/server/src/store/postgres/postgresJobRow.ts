import type { JobDriver, JobRecord, NewJob } from '../../domain/jobRecord.js';
import { type JobRowOf, toJobRecord } from '../jobRow.js';

/**
 * A `jobs` row as `pg` returns it, and as `row_to_json` writes it into the change log: json
 * columns come parsed, bigint columns as strings (pg) or numbers (row_to_json).
 */
export type PostgresJobRow = JobRowOf<unknown, string | number>;

export { jobColumns } from '../jobRow.js';

export function toRecord(row: PostgresJobRow): JobRecord {
  return toJobRecord(row, (value) => value);
}

/** The INSERT of a new job: its columns and their values, in the same order. */
export const insertColumns = `submission_id, entrypoint, status, message, start_time, metadata,
  runtime_env, resources, node_id, request_digest`;

export function insertValues(job: NewJob): unknown[] {
  return [
    job.submissionId,
    job.entrypoint,
    'PENDING',
    job.message,
    job.startTime,
    JSON.stringify(job.metadata),
    JSON.stringify(job.runtimeEnv),
    JSON.stringify(job.resources),
    job.nodeId,
    job.requestDigest,
  ];
}

/** SET clause of a job's driver, its values numbered from `$first`. */
export function driverAssignments(first: number): string {
  const columns = ['driver_ref', 'driver_id', 'driver_pid', 'driver_node_ip', 'driver_node_id'];
  return columns.map((column, index) => `${column} = $${first + index}`).join(', ');
}

export function driverValues(driver: JobDriver): unknown[] {
  return [driver.ref, driver.id, driver.pid, driver.nodeIp, driver.nodeId];
}
