import type { JobErrorType, JobStatus } from '@jobs/contract';
import type { JobRecord, NewJob } from '../../jobs/jobRecord.js';

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
  driver_node_ip: string;
  driver_pid: number | null;
  driver_started_at: string | null;
  exit_code: number | null;
  error_type: JobErrorType | '';
  request_digest: string;
  stop_message: string | null;
}

export const jobColumns = `submission_id, entrypoint, status, message, start_time, end_time,
  metadata, runtime_env, resources, node_id, driver_node_ip, driver_pid, driver_started_at,
  exit_code, error_type, request_digest, stop_message`;

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
    driverNodeIp: row.driver_node_ip,
    driverPid: row.driver_pid,
    driverStartedAt: row.driver_started_at,
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
