import { JobDetailsSchema } from '@jobs/contract';
import { describe, expect, it } from 'vitest';
import { jobFixture } from './jobFixture.js';

describe('jobFixture', () => {
  it('is a job the contract accepts, with the overrides applied', () => {
    const job = jobFixture({ submission_id: 'a', status: 'FAILED', driver_exit_code: 3 });
    expect(JobDetailsSchema.parse(job)).toEqual(job);
    expect(job).toMatchObject({
      submission_id: 'a',
      driver_info: { id: 'a' },
      status: 'FAILED',
      driver_exit_code: 3,
    });
    expect(JobDetailsSchema.parse(jobFixture())).toMatchObject({ status: 'SUCCEEDED' });
  });
});
