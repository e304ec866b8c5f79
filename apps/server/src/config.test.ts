import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
      stopJobsOnShutdown: false,
      startTimeoutSeconds: 900,
    });
    // Finished jobs are kept until deleted unless a retention is configured.
    expect(config.retentionHours).toBeUndefined();
    expect(loadConfig(['--retention-hours', '24'], {}).retentionHours).toBe(24);
    // The events stream keeps the latest 100,000 changes unless told otherwise.
    expect(config.eventHistory).toBe(100_000);
    expect(loadConfig([], { JOBS_EVENT_HISTORY: '5000' }).eventHistory).toBe(5000);
    expect(() => loadConfig(['--event-history', '10'], {})).toThrow(/event-history/);
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

  it('bounds open streams and concurrent log reads, 1000 and 16 unless told otherwise', () => {
    expect(loadConfig([], {})).toMatchObject({ maxLogStreams: 1000, maxConcurrentLogReads: 16 });
    expect(
      loadConfig(['--max-log-streams', '50'], { JOBS_MAX_CONCURRENT_LOG_READS: '4' }),
    ).toMatchObject({ maxLogStreams: 50, maxConcurrentLogReads: 4 });
    expect(() => loadConfig(['--max-log-streams', '0'], {})).toThrow(
      /--max-log-streams \/ JOBS_MAX_LOG_STREAMS/,
    );
    expect(() => loadConfig([], { JOBS_MAX_CONCURRENT_LOG_READS: 'many' })).toThrow(
      /--max-concurrent-log-reads \/ JOBS_MAX_CONCURRENT_LOG_READS/,
    );
  });
});

describe('loadConfig: probe port', () => {
  it('has no probe listener unless a port is given, by flag or variable', () => {
    expect(loadConfig([], {}).probePort).toBeUndefined();
    expect(loadConfig(['--probe-port', '9081'], {}).probePort).toBe(9081);
    expect(loadConfig([], { JOBS_PROBE_PORT: '0' }).probePort).toBe(0);
    expect(loadConfig(['--probe-port', '9082'], { JOBS_PROBE_PORT: '9081' }).probePort).toBe(9082);
  });

  it('refuses a port outside 0-65535 or not a whole number, naming the setting', () => {
    for (const bad of ['65536', '-1', '1.5', 'health']) {
      expect(() => loadConfig(['--probe-port', bad], {})).toThrow(
        /--probe-port \/ JOBS_PROBE_PORT/,
      );
    }
    expect(loadConfig(['--probe-port', '65535'], {}).probePort).toBe(65535);
  });

  it('refuses the API port, naming both settings; 0 for both is two free ports', () => {
    const refusal =
      'Invalid configuration: --probe-port / JOBS_PROBE_PORT: must differ from --port / JOBS_PORT (both are 9080)';
    expect(() => loadConfig(['--probe-port', '9080'], {})).toThrow(refusal);
    expect(() => loadConfig([], { JOBS_PORT: '9080', JOBS_PROBE_PORT: '9080' })).toThrow(
      ConfigError,
    );
    expect(loadConfig(['--port', '0', '--probe-port', '0'], {})).toMatchObject({
      port: 0,
      probePort: 0,
    });
  });
});

describe('loadConfig: access', () => {
  const token = 'tok-0123456789abcdef';

  it('reads tokens from a file and from JOBS_TOKENS', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobs-config-'));
    const file = join(dir, 'tokens');
    writeFileSync(file, `# comment\nci:submit:${token}1\n`, { mode: 0o600 });
    const config = loadConfig(['--tokens-file', file], { JOBS_TOKENS: `ops:admin:${token}2` });
    expect(config.apiTokens).toEqual([
      { name: 'ci', role: 'submit', token: `${token}1` },
      { name: 'ops', role: 'admin', token: `${token}2` },
    ]);
    rmSync(dir, { recursive: true });
  });

  it.each([0o644, 0o640, 0o620, 0o604])(
    'refuses a tokens file of mode %o, saying how to make it private',
    (mode) => {
      const dir = mkdtempSync(join(tmpdir(), 'jobs-config-'));
      try {
        const file = join(dir, 'tokens');
        writeFileSync(file, `ci:submit:${token}1\n`);
        chmodSync(file, mode);
        expect(() => loadConfig(['--tokens-file', file], {})).toThrow(
          new RegExp(
            `tokens file ${file} .*has mode 0${mode.toString(8)}: other users may read or change its tokens.*chmod 600 ${file}$`,
          ),
        );
        chmodSync(file, 0o400);
        expect(loadConfig(['--tokens-file', file], {}).apiTokens).toHaveLength(1);
      } finally {
        rmSync(dir, { recursive: true });
      }
    },
  );

  it('names the setting of a bad token list or an unreadable file', () => {
    expect(() => loadConfig([], { JOBS_TOKENS: 'ci:god:x' })).toThrow(/JOBS_TOKENS/);
    expect(() => loadConfig(['--tokens-file', '/nonexistent/tokens'], {})).toThrow(
      /cannot read \/nonexistent\/tokens/,
    );
  });

  it('refuses a non-loopback host without tokens, unless explicitly told to allow it', () => {
    expect(() => loadConfig(['--host', '0.0.0.0'], {})).toThrow(
      /Refusing to listen on 0\.0\.0\.0 without API tokens/,
    );
    expect(loadConfig(['--host', '0.0.0.0'], { JOBS_TOKENS: `ci:read:${token}` }).host).toBe(
      '0.0.0.0',
    );
    expect(
      loadConfig(['--host', '0.0.0.0', '--insecure-allow-unauthenticated-remote'], {})
        .insecureAllowUnauthenticatedRemote,
    ).toBe(true);
    expect(
      loadConfig([], { JOBS_HOST: '::', JOBS_INSECURE_ALLOW_UNAUTHENTICATED_REMOTE: '1' }).host,
    ).toBe('::');
  });

  it('parses origins, limits and the rate', () => {
    const config = loadConfig(
      [
        '--allowed-origins',
        'https://a.example.org/, http://localhost:3000',
        '--rate-limit-per-minute',
        '0',
      ],
      {
        JOBS_MAX_METADATA_BYTES: '100',
        JOBS_MAX_ENTRYPOINT_CHARS: '200',
        JOBS_MAX_RUNTIME_ENV_BYTES: '300',
      },
    );
    expect(config).toMatchObject({
      allowedOrigins: ['https://a.example.org', 'http://localhost:3000'],
      rateLimitPerMinute: 0,
      maxMetadataBytes: 100,
      maxEntrypointChars: 200,
      maxRuntimeEnvBytes: 300,
    });
    expect(loadConfig([], {})).toMatchObject({
      maxRuntimeEnvBytes: 64 * 1024,
      authFailuresPerMinute: 30,
    });
    expect(loadConfig(['--auth-failures-per-minute', '0'], {}).authFailuresPerMinute).toBe(0);
    expect(() => loadConfig(['--allowed-origins', 'not a url'], {})).toThrow(
      /--allowed-origins \/ JOBS_ALLOWED_ORIGINS/,
    );
  });
});

describe('loadConfig: executor', () => {
  const shared = mkdtempSync(join(tmpdir(), 'jobs-config-shared-'));
  const conf = join(shared, 'slurm.conf');
  writeFileSync(conf, 'ClusterName=x\n');
  // A directory holding every Slurm command this config needs, so the test runs without Slurm.
  const bin = mkdtempSync(join(tmpdir(), 'jobs-config-bin-'));
  for (const command of ['sbatch', 'squeue', 'scancel', 'scontrol', 'sinfo']) {
    writeFileSync(join(bin, command), '#!/bin/sh\n', { mode: 0o755 });
  }
  const slurm = ['--executor', 'slurm', '--slurm-shared-dir', shared];
  afterAll(() => {
    rmSync(shared, { recursive: true, force: true });
    rmSync(bin, { recursive: true, force: true });
  });

  it('leaves how many jobs start at once to the executor unless told, and takes 1 or more', () => {
    expect(loadConfig([], {}).maxConcurrentStarts).toBeUndefined();
    expect(loadConfig(['--max-concurrent-starts', '3'], {}).maxConcurrentStarts).toBe(3);
    expect(loadConfig([], { JOBS_MAX_CONCURRENT_STARTS: '1' }).maxConcurrentStarts).toBe(1);
    expect(() => loadConfig(['--max-concurrent-starts', '0'], {})).toThrow(
      /--max-concurrent-starts \/ JOBS_MAX_CONCURRENT_STARTS/,
    );
  });

  it('runs jobs locally unless told otherwise', () => {
    expect(loadConfig([], {}).executor).toBe('local');
    expect(() => loadConfig(['--executor', 'kubernetes'], {})).toThrow(
      /--executor \/ JOBS_EXECUTOR/,
    );
  });

  it('takes the Slurm settings from flags, JOBS_ variables and SLURM_CONF', () => {
    const config = loadConfig([...slurm, '--slurm-partition', 'gpu'], {
      PATH: bin,
      SLURM_CONF: conf,
      JOBS_SLURM_POLL_SECONDS: '2',
    });
    expect(config).toMatchObject({
      executor: 'slurm',
      slurmConf: conf,
      slurmPartition: 'gpu',
      slurmSharedDir: shared,
      slurmPollSeconds: 2,
      slurmCommandTimeoutSeconds: 30,
    });
    expect(() => loadConfig([...slurm, '--slurm-poll-seconds', '0'], { PATH: bin })).toThrow(
      /--slurm-poll-seconds \/ JOBS_SLURM_POLL_SECONDS/,
    );
  });

  it("refuses to start a Slurm executor without Slurm's commands, a readable slurm.conf or a shared directory", () => {
    expect(() => loadConfig(slurm, { PATH: '/nowhere' })).toThrow(
      /--executor \/ JOBS_EXECUTOR: slurm needs Slurm's commands on PATH, and sbatch, squeue, scancel, scontrol, sinfo are missing/,
    );
    expect(() =>
      loadConfig([...slurm, '--slurm-conf', join(shared, 'missing.conf')], { PATH: bin }),
    ).toThrow(/--slurm-conf \/ JOBS_SLURM_CONF \(or SLURM_CONF\): cannot read/);
    expect(() => loadConfig(['--executor', 'slurm'], { PATH: bin })).toThrow(
      /--slurm-shared-dir \/ JOBS_SLURM_SHARED_DIR: required with --executor slurm/,
    );
    expect(() =>
      loadConfig(['--executor', 'slurm', '--slurm-shared-dir', join(shared, 'nope')], {
        PATH: bin,
      }),
    ).toThrow(/is not a writable directory/);
  });
});
