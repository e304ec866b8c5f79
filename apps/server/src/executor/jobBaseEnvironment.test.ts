import { describe, expect, it } from 'vitest';
import { jobBaseEnvironment } from './jobBaseEnvironment.js';

const serverEnv = {
  PATH: '/opt/bin:/usr/bin',
  HOME: '/root',
  LANG: 'C.UTF-8',
  JOBS_TOKENS: 'ops:admin:secret',
  JOBS_DATABASE_URL: 'postgres://u:pw@db/jobs',
  AWS_SECRET_ACCESS_KEY: 'aws-secret',
  PIP_INDEX_URL: 'http://mirror/simple',
};

describe('the environment jobs start from', () => {
  it('holds the base variables and nothing else of the server', () => {
    expect(jobBaseEnvironment(serverEnv, [])).toEqual({
      PATH: '/opt/bin:/usr/bin',
      HOME: '/root',
      LANG: 'C.UTF-8',
    });
  });

  it('adds the variables the operator passes through, never JOBS_* ones', () => {
    const env = jobBaseEnvironment(serverEnv, ['PIP_INDEX_URL', 'JOBS_TOKENS', 'MISSING']);
    expect(env.PIP_INDEX_URL).toBe('http://mirror/simple');
    expect(env).not.toHaveProperty('JOBS_TOKENS');
    expect(env).not.toHaveProperty('MISSING');
  });

  it("uses the run-as user's home, name and shell", () => {
    const env = jobBaseEnvironment(serverEnv, [], {
      name: 'worker',
      uid: 1001,
      gid: 1001,
      home: '/home/worker',
      shell: '/bin/bash',
    });
    expect(env).toMatchObject({
      HOME: '/home/worker',
      USER: 'worker',
      LOGNAME: 'worker',
      SHELL: '/bin/bash',
    });
  });

  it('gives jobs a PATH even when the server has none', () => {
    expect(jobBaseEnvironment({}, []).PATH).toBe('/usr/local/bin:/usr/bin:/bin');
  });
});
