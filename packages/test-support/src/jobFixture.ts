import type { JobDetails } from '@jobs/contract';

/**
 * A job as the API shows it, every field filled: by default a finished (SUCCEEDED) one, changed
 * by `overrides`. Its driver id follows its submission id.
 */
export function jobFixture(overrides: Partial<JobDetails> = {}): JobDetails {
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
