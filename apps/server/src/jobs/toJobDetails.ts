import type { JobDetails } from '@jobs/contract';
import type { JobRecord } from '../domain/jobRecord.js';

/** The wire shape of a stored job: every key present, no other key. */
export function toJobDetails(job: JobRecord): JobDetails {
  return {
    type: 'SUBMISSION',
    submission_id: job.submissionId,
    entrypoint: job.entrypoint,
    driver_info: {
      id: job.driver?.id ?? job.submissionId,
      node_ip_address: job.driver?.nodeIp ?? '',
      pid: job.driver?.pid ?? '',
    },
    status: job.status,
    message: job.message,
    start_time: String(job.startTime),
    end_time: job.endTime === null ? '' : String(job.endTime),
    metadata: job.metadata,
    runtime_env: job.runtimeEnv,
    driver_agent_http_address: '',
    driver_node_id: job.driver?.nodeId || job.nodeId,
    driver_exit_code: job.exitCode,
    error_type: job.errorType,
  };
}
