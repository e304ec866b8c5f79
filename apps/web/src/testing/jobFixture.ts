import type { JobDetails, JobEvent, JobEventType } from '@jobs/client';

/** A finished job with every field filled, changed by `overrides`. */
export function jobFixture(overrides: Partial<JobDetails>): JobDetails {
  const id = overrides.submission_id ?? 'job';
  return {
    type: 'SUBMISSION',
    submission_id: id,
    entrypoint: 'true',
    driver_info: { id, node_ip_address: '', pid: '' },
    status: 'SUCCEEDED',
    message: '',
    start_time: '1000',
    end_time: '',
    metadata: {},
    runtime_env: {},
    driver_agent_http_address: '',
    driver_node_id: 'node',
    driver_exit_code: null,
    error_type: '',
    ...overrides,
  };
}

let nextEventId = 1;

/** An event of the job-events stream about `job`. */
export function eventFixture(type: JobEventType, job: JobDetails): JobEvent {
  return { event_id: nextEventId++, type, job };
}
