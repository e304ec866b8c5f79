import { jobFixture } from '@jobs/test-support';
import { describe, expect, it } from 'vitest';
import { curlCommand, formOfJob, jobctlCommand, shellQuote, submissionOf } from './submission.js';

const job = jobFixture({
  submission_id: 'train-1',
  entrypoint: `python train.py --name 'it''s'`,
  metadata: { team: 'ml' },
  runtime_env: { working_dir: '/data/run', env_vars: { MODE: 'fast' }, pip: ['requests==2.32.3'] },
});

describe('a job’s submission, to copy or submit again', () => {
  it('keeps what the record has, without the id', () => {
    expect(submissionOf(job)).toEqual({
      entrypoint: job.entrypoint,
      metadata: { team: 'ml' },
      runtime_env: job.runtime_env,
    });
    expect(submissionOf(jobFixture({ entrypoint: 'true' }))).toEqual({ entrypoint: 'true' });
  });

  it('quotes shell words that need it, single quotes included', () => {
    expect(shellQuote('http://127.0.0.1:9080')).toBe('http://127.0.0.1:9080');
    expect(shellQuote("it's $HOME")).toBe(`'it'\\''s $HOME'`);
  });

  it('writes a jobctl command line and a curl command, never with a token', () => {
    const request = submissionOf(job);
    expect(jobctlCommand('http://jobs:9080', request)).toBe(
      `jobctl --address http://jobs:9080 submit --runtime-env-json '${JSON.stringify(job.runtime_env)}'` +
        ` --metadata-json '{"team":"ml"}' -- 'python train.py --name '\\''it'\\'''\\''s'\\'''`,
    );
    const curl = curlCommand('http://jobs:9080', { entrypoint: 'echo hi' }, true);
    expect(curl).toBe(
      `curl -X POST http://jobs:9080/api/jobs -H 'content-type: application/json'` +
        ` -H "authorization: Bearer $JOBS_TOKEN" --data-raw '{"entrypoint":"echo hi"}'`,
    );
    expect(curlCommand('http://jobs:9080', { entrypoint: 'true' }, false)).not.toContain(
      'authorization',
    );
  });

  it('fills the submit form with the submission', () => {
    expect(formOfJob(job)).toMatchObject({
      entrypoint: job.entrypoint,
      submissionId: '',
      metadata: 'team=ml',
      envVars: 'MODE=fast',
      workingDir: '/data/run',
      pip: 'requests==2.32.3',
    });
  });
});
