import type { JobErrorType, JobStatus } from '@jobs/contract';
import type { JobDriver, JobRecord, NewJob } from '../../domain/jobRecord.js';

/**
 * A `jobs` row as `pg` returns it, and as `row_to_json` writes it into the change log: json
 * columns come parsed, bigint columns as strings (pg) or numbers (row_to_json).
 */
export interface PostgresJobRow {
  submission_id: string;
  entrypoint: string;
  status: JobStatus;
  message: string;
  start_time: string | number;
  end_time: string | number | null;
  metadata: Record<string, string>;
  runtime_env: Record<string, unknown>;
  resources: JobRecord['resources'];
  node_id: string;
  driver_ref: string | null;
  driver_id: string;
  driver_pid: string;
  driver_node_ip: string;
  driver_node_id: string;
  exit_code: number | null;
  error_type: JobErrorType | '';
  request_digest: string;
  stop_message: string | null;
}

export const jobColumns = `submission_id, entrypoint, status, message, start_time, end_time,
  metadata, runtime_env, resources, node_id, driver_ref, driver_id, driver_pid, driver_node_ip,
  driver_node_id, exit_code, error_type, request_digest, stop_message`;

export function toRecord(row: PostgresJobRow): JobRecord {
  return {
    submissionId: row.submission_id,
    entrypoint: row.entrypoint,
    status: row.status,
    message: row.message,
    startTime: Number(row.start_time),
    endTime: row.end_time === null ? null : Number(row.end_time),
    metadata: row.metadata,
    runtimeEnv: row.runtime_env,
    resources: row.resources,
    nodeId: row.node_id,
    driver:
      row.driver_ref === null
        ? null
        : {
            ref: row.driver_ref,
            id: row.driver_id,
            pid: row.driver_pid,
            nodeIp: row.driver_node_ip,
            nodeId: row.driver_node_id,
          },
    exitCode: row.exit_code,
    errorType: row.error_type,
    requestDigest: row.request_digest,
    stopMessage: row.stop_message,
  };
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
