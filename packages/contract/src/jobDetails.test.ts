import { describe, expect, it } from 'vitest';
import { JobDetailsSchema } from './jobDetails.js';

const example = {
  type: 'SUBMISSION',
  entrypoint: 'python script_yr_sleep.py',
  submission_id: 'app-fe4ee1e5-d24f-4236-be15-7654e3c2229b',
  driver_info: {
    id: 'app-fe4ee1e5-d24f-4236-be15-7654e3c2229b',
    node_ip_address: '7.183.38.81',
    pid: '748250',
  },
  status: 'SUCCEEDED',
  message: 'Job finished successfully.',
  start_time: '1755484077000',
  end_time: '1755484140000',
  metadata: { autoscenes_ids: 'auto_1-test', task_type: 'task_1', ttl: '1250' },
  runtime_env: {
    envVars: '{"DEPLOY_REGION":"suzhou_std"}',
    pip: 'pip3.9 install numpy==1.24',
    working_dir: 'file:///home/disk/tk/file.zip',
  },
  driver_agent_http_address: '',
  driver_node_id: 'node2-744947',
  driver_exit_code: 0,
  error_type: '',
};

describe('JobDetailsSchema', () => {
  it('accepts the documented example (with millisecond times)', () => {
    expect(JobDetailsSchema.parse(example)).toEqual(example);
  });

  it('rejects an extra key and a missing key', () => {
    expect(JobDetailsSchema.safeParse({ ...example, extra: 1 }).success).toBe(false);
    const { message: _message, ...withoutMessage } = example;
    expect(JobDetailsSchema.safeParse(withoutMessage).success).toBe(false);
  });

  it('rejects an unknown status or error_type', () => {
    expect(JobDetailsSchema.safeParse({ ...example, status: 'DONE' }).success).toBe(false);
    expect(JobDetailsSchema.safeParse({ ...example, error_type: 'OOPS' }).success).toBe(false);
  });
});
