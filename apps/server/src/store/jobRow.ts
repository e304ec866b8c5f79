import type { JobErrorType, JobStatus } from '@jobs/contract';
import type { JobRecord } from '../domain/jobRecord.js';

/** The columns of a job both stores read, in this order. */
export const jobColumns = `submission_id, entrypoint, status, message, start_time, end_time,
  metadata, runtime_env, resources, node_id, driver_ref, driver_id, driver_pid, driver_node_ip,
  driver_node_id, exit_code, error_type, request_digest, stop_message`;

/**
 * A job's row as a store's driver returns it: `Json` is how JSON columns come (text in SQLite,
 * parsed in PostgreSQL), `Int` how whole-number times come (numbers, or bigint strings).
 */
export interface JobRowOf<Json, Int> {
  submission_id: string;
  entrypoint: string;
  status: JobStatus;
  message: string;
  start_time: Int;
  end_time: Int | null;
  metadata: Json;
  runtime_env: Json;
  resources: Json;
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

/** The job a row holds, its JSON columns read with `json` and its times with `Number`. */
export function toJobRecord<Json, Int>(
  row: JobRowOf<Json, Int>,
  json: (value: Json) => unknown,
): JobRecord {
  return {
    submissionId: row.submission_id,
    entrypoint: row.entrypoint,
    status: row.status,
    message: row.message,
    startTime: Number(row.start_time),
    endTime: row.end_time === null ? null : Number(row.end_time),
    metadata: json(row.metadata) as JobRecord['metadata'],
    runtimeEnv: json(row.runtime_env) as JobRecord['runtimeEnv'],
    resources: json(row.resources) as JobRecord['resources'],
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
