import { describe, expect, it } from 'vitest';
import { runtimeEnvSetupMessage } from './runtimeEnvSetupMessage.js';

describe('runtimeEnvSetupMessage', () => {
  it('names the slow steps a runtime_env asks for', () => {
    expect(
      runtimeEnvSetupMessage({ working_dir: 'file:///srv/code.tgz', pip: ['numpy==1.24'] }),
    ).toBe('Job is setting up its runtime environment (working_dir archive, pip install).');
    expect(runtimeEnvSetupMessage({ pip: 'pip3.9 install numpy' })).toBe(
      'Job is setting up its runtime environment (pip setup command).',
    );
  });

  it('names no step when there is nothing slow to do', () => {
    expect(runtimeEnvSetupMessage({ env_vars: { A: '1' }, working_dir: '/srv/code' })).toBe(
      'Job is setting up its runtime environment.',
    );
    expect(runtimeEnvSetupMessage({ pip: [] })).toBe('Job is setting up its runtime environment.');
  });
});
