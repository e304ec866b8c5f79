import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults to loopback, port 9080, .jobs-data in the working directory and the host name', () => {
    const config = loadConfig([], {});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 9080,
      dataDir: resolve('.jobs-data'),
      nodeId: hostname(),
      stopGraceSeconds: 3,
      logLevel: 'info',
    });
  });

  it('takes environment variables, and flags over them', () => {
    const env = {
      JOBS_HOST: '::1',
      JOBS_PORT: '8000',
      JOBS_DATA_DIR: '/tmp/from-env',
      JOBS_NODE_ID: 'n1',
    };
    expect(loadConfig([], env)).toMatchObject({
      host: '::1',
      port: 8000,
      dataDir: '/tmp/from-env',
      nodeId: 'n1',
    });
    expect(loadConfig(['--port', '9100', '--data-dir', '/tmp/from-flag'], env)).toMatchObject({
      host: '::1',
      port: 9100,
      dataDir: '/tmp/from-flag',
    });
  });

  it('names the flag and variable of an invalid value', () => {
    expect(() => loadConfig([], { JOBS_PORT: '70000' })).toThrow(ConfigError);
    expect(() => loadConfig(['--stop-grace-seconds', '-1'], {})).toThrow(
      /--stop-grace-seconds \/ JOBS_STOP_GRACE_SECONDS/,
    );
    expect(() => loadConfig(['--node-ip', 'not-an-ip'], {})).toThrow(/--node-ip \/ JOBS_NODE_IP/);
  });
});
