import { describe, expect, it } from 'vitest';
import { RuntimeEnvSchema, decodeEnvVarsJson, supportedRuntimeEnvKeys } from './runtimeEnv.js';

function issuesOf(runtimeEnv: unknown) {
  const result = RuntimeEnvSchema.safeParse(runtimeEnv);
  expect(result.success, JSON.stringify(runtimeEnv)).toBe(false);
  return result.error?.issues ?? [];
}

describe('RuntimeEnvSchema', () => {
  it('accepts every supported key and returns the values unchanged', () => {
    const runtimeEnv = {
      env_vars: { A: '1' },
      envVars: '{"B": "2"}',
      working_dir: 'file:///srv/code.tar.gz',
      pip: 'pip3.9 install numpy==1.24 scipy==1.11.0 && pip3.9 check',
      config: { setup_timeout_seconds: 0.5 },
    };
    expect(RuntimeEnvSchema.parse(runtimeEnv)).toEqual(runtimeEnv);
    expect(RuntimeEnvSchema.parse({ pip: ['a==1', 'b>=2'] })).toEqual({ pip: ['a==1', 'b>=2'] });
  });

  it('treats null values as absent', () => {
    expect(
      RuntimeEnvSchema.parse({ env_vars: null, envVars: null, pip: null, config: null }),
    ).toEqual({});
  });

  it('rejects an unknown key with a message naming the supported ones', () => {
    const [issue] = issuesOf({ env_vars: {}, conda: 'base' });
    expect(issue?.path).toEqual(['conda']);
    expect(issue?.message).toBe(
      'is not supported; runtime_env supports env_vars, envVars, working_dir, pip, config',
    );
    expect(supportedRuntimeEnvKeys).toEqual([
      'env_vars',
      'envVars',
      'working_dir',
      'pip',
      'config',
    ]);
  });

  it('rejects an unknown config key, naming the supported one', () => {
    const [issue] = issuesOf({ config: { eager_install: true } });
    expect(issue?.path).toEqual(['config', 'eager_install']);
    expect(issue?.message).toContain('runtime_env.config supports setup_timeout_seconds');
  });

  it.each([
    ['not JSON', '{"A": '],
    ['a JSON array', '["A"]'],
    ['a non-string value', '{"A": 1}'],
    ['a name with =', '{"A=B": "x"}'],
  ])('rejects envVars that is %s, naming envVars', (_what, envVars) => {
    const [issue] = issuesOf({ envVars });
    expect(issue?.path).toEqual(['envVars']);
  });

  it('rejects envVars that contradicts env_vars but accepts an agreeing duplicate', () => {
    expect(issuesOf({ env_vars: { A: '1' }, envVars: '{"A": "2"}' })[0]?.message).toBe(
      'sets A to a different value than env_vars does',
    );
    expect(
      RuntimeEnvSchema.safeParse({ env_vars: { A: '1' }, envVars: '{"A": "1"}' }).success,
    ).toBe(true);
  });

  it.each(['relative/dir', 's3://bucket/code.zip', 'https://example.com/x.zip', 'file:code.zip'])(
    'rejects working_dir %s',
    (workingDir) => {
      expect(issuesOf({ working_dir: workingDir })[0]?.path).toEqual(['working_dir']);
    },
  );

  it.each([[['-r', 'reqs.txt']], [['']], [[' ']], [''], [{ packages: ['x'] }], [['a\0b']]])(
    'rejects pip %j',
    (pip) => {
      expect(issuesOf({ pip })[0]?.path[0]).toBe('pip');
    },
  );

  it('names the two accepted forms of pip when it is neither', () => {
    expect(issuesOf({ pip: 3 })[0]?.message).toBe(
      'must be a list of requirement strings or a setup shell command string',
    );
  });

  it.each([0, -1, 'ten', 8 * 24 * 3600])('rejects setup_timeout_seconds %j', (seconds) => {
    expect(issuesOf({ config: { setup_timeout_seconds: seconds } })[0]?.path).toEqual([
      'config',
      'setup_timeout_seconds',
    ]);
  });
});

describe('decodeEnvVarsJson', () => {
  it('decodes an object of strings', () => {
    expect(decodeEnvVarsJson('{"A": "1", "B": ""}')).toEqual({ ok: true, vars: { A: '1', B: '' } });
  });

  it('says why a value is refused', () => {
    expect(decodeEnvVarsJson('{"A": null}')).toEqual({
      ok: false,
      reason: 'must map A to a string without NUL characters',
    });
  });
});
