import { describe, expect, it } from 'vitest';
import { SubmitJobRequestSchema } from './submitJob.js';
import { submissionIdPattern } from './submissionId.js';

describe('SubmitJobRequestSchema', () => {
  it('drops keys whose value is null', () => {
    const parsed = SubmitJobRequestSchema.parse({
      entrypoint: 'true',
      submission_id: null,
      metadata: null,
      entrypoint_num_cpus: null,
    });
    expect(parsed).toEqual({ entrypoint: 'true' });
  });

  it('keeps runtime_env exactly as submitted', () => {
    const runtimeEnv = {
      env_vars: { A: 'b' },
      envVars: '{"C": "d"}',
      pip: ['numpy==1.24'],
      working_dir: '/tmp',
      config: { setup_timeout_seconds: 30 },
    };
    expect(
      SubmitJobRequestSchema.parse({ entrypoint: 'x', runtime_env: runtimeEnv }).runtime_env,
    ).toEqual(runtimeEnv);
  });

  it('rejects unknown keys, naming them', () => {
    const result = SubmitJobRequestSchema.safeParse({ entrypoint: 'x', surprise: 1 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      code: 'unrecognized_keys',
      keys: ['surprise'],
    });
  });

  it('accepts job_id equal to submission_id and rejects a different one', () => {
    expect(
      SubmitJobRequestSchema.safeParse({ entrypoint: 'x', submission_id: 'a', job_id: 'a' })
        .success,
    ).toBe(true);
    const result = SubmitJobRequestSchema.safeParse({
      entrypoint: 'x',
      submission_id: 'a',
      job_id: 'b',
    });
    expect(result.error?.issues[0]?.path).toEqual(['job_id']);
  });

  it('requires integer, non-negative memory and non-negative resources', () => {
    for (const bad of [
      { entrypoint_memory: 1.5 },
      { entrypoint_memory: -1 },
      { entrypoint_num_gpus: -0.5 },
      { entrypoint_resources: { x: -1 } },
      { entrypoint_resources: { x: 'one' } },
    ]) {
      expect(
        SubmitJobRequestSchema.safeParse({ entrypoint: 'x', ...bad }).success,
        JSON.stringify(bad),
      ).toBe(false);
    }
  });
});

describe('submission ids', () => {
  it.each(['a', 'app-1234', 'A.b_c-d', '0', 'x'.repeat(64), '_lead', '-lead'])(
    'accepts %s',
    (id) => {
      expect(submissionIdPattern.test(id)).toBe(true);
    },
  );
  it.each(['', '.x', '..', 'a/b', 'a b', 'x'.repeat(65), 'a\0b', 'é', '../etc'])(
    'rejects %j',
    (id) => {
      expect(submissionIdPattern.test(id)).toBe(false);
    },
  );
});
