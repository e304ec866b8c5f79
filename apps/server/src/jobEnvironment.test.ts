import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJobsClient, okBody, waitForJob } from '@jobs/client';
import { type JobsServer, startJobsServer } from '@jobs/test-support';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const adminToken = 'a'.repeat(40);
const readToken = 'r'.repeat(40);

let servers: JobsServer[] = [];
afterEach(async () => {
  for (const server of servers) await server.stop();
  servers = [];
});

async function start(args: string[], env: Record<string, string>) {
  const server = await startJobsServer({
    args,
    env: { JOBS_TOKENS: `ops:admin:${adminToken},viewer:read:${readToken}`, ...env },
    stopJobsOnShutdown: true,
  });
  servers.push(server);
  const client = createJobsClient({
    baseUrl: server.baseUrl,
    headers: { authorization: `Bearer ${adminToken}` },
  });
  const run = async (body: Parameters<typeof client.submitJob>[0]['body']) => {
    const { submission_id: id } = okBody(await client.submitJob({ body }));
    const job = await waitForJob(client, id, { timeoutMs: 60_000 });
    const { logs } = okBody(await client.getJobLogs({ params: { submission_id: id } }));
    return { id, job, logs };
  };
  return { server, run };
}

describe("jobs' environment", () => {
  it("never holds the server's tokens, settings or other secrets, in the job or its setup", async () => {
    const { run } = await start(['--job-env-passthrough', 'PIP_INDEX_URL,TEAM_PROXY'], {
      SECRET_CLOUD_KEY: 'hunter2-cloud-key',
      PIP_INDEX_URL: 'http://127.0.0.1:9/simple',
      TEAM_PROXY: 'http://127.0.0.1:3128',
      LANG: 'C.UTF-8',
    });
    const { job, logs } = await run({
      entrypoint: 'echo "--- job"; env',
      runtime_env: { pip: 'echo "--- setup"; env', env_vars: { OWN: 'mine' } },
    });
    expect(job.status).toBe('SUCCEEDED');
    expect(logs).toContain('--- setup');
    expect(logs).toContain('--- job');
    for (const secret of [
      adminToken,
      readToken,
      'hunter2-cloud-key',
      'JOBS_TOKENS',
      'JOBS_LOG_LEVEL',
    ]) {
      expect(logs).not.toContain(secret);
    }
    const jobPart = logs.slice(logs.indexOf('--- job'));
    expect(jobPart).toContain('PIP_INDEX_URL=http://127.0.0.1:9/simple');
    expect(jobPart).toContain('TEAM_PROXY=http://127.0.0.1:3128');
    expect(jobPart).toContain('LANG=C.UTF-8');
    expect(jobPart).toContain('OWN=mine');
    expect(jobPart).toContain(`JOBS_SUBMISSION_ID=${job.submission_id}`);
  });

  it('configures only the entrypoint, never the process that runs and records it', async () => {
    // The driver wrapper is a Node process keeping rights its job has not (it writes the job's
    // end and owns its log): NODE_OPTIONS from the job must not make it load the job's code.
    const dir = mkdtempSync(join(tmpdir(), 'jobs-env-'));
    const marker = join(dir, 'loaded-by');
    const hook = join(dir, 'hook.cjs');
    writeFileSync(
      hook,
      `require('node:fs').appendFileSync(${JSON.stringify(marker)}, process.argv.join(' ') + '\\n');`,
    );
    const { run } = await start([], {});
    try {
      const { job, logs } = await run({
        entrypoint: 'echo "job sees NODE_OPTIONS=$NODE_OPTIONS"',
        runtime_env: { env_vars: { NODE_OPTIONS: `--require ${hook}` } },
      });
      expect(job.status).toBe('SUCCEEDED');
      expect(logs).toContain(`job sees NODE_OPTIONS=--require ${hook}`);
      expect(existsSync(marker)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to pass JOBS_* variables through', async () => {
    const server = await startJobsServer({
      args: ['--job-env-passthrough', 'JOBS_TOKENS'],
      env: { JOBS_TOKENS: `ops:admin:${adminToken}` },
    }).catch((error: unknown) => error);
    expect(String(server)).toMatch(
      /--job-env-passthrough \/ JOBS_JOB_ENV_PASSTHROUGH: JOBS_\* variables are the server's own/,
    );
  });
});

describe('jobs run as another OS user (--run-as-user)', () => {
  beforeAll(() => {
    // Switching users needs root, which the test machines have.
    expect(process.getuid?.()).toBe(0);
  });

  it('cannot read the store, the audit log or the run directories, and setup runs as them', async () => {
    const nobody = { uid: 65534 };
    const { server, run } = await start(['--run-as-user', 'nobody'], {});
    const dataDir = server.dataDir ?? '';
    const { job, logs } = await run({
      entrypoint: [
        'echo "uid=$(id -u) home=$HOME user=$USER"',
        `cat ${dataDir}/jobs.sqlite >/dev/null 2>&1 && echo read-store || echo no-store`,
        `cat ${dataDir}/audit.log >/dev/null 2>&1 && echo read-audit || echo no-audit`,
        `ls ${dataDir}/run >/dev/null 2>&1 && echo listed-runs || echo no-runs`,
        'cat setup-ran-as.txt',
        'echo written > own-file.txt && echo wrote-own',
      ].join('; '),
      runtime_env: { pip: 'id -u > setup-ran-as.txt' },
    });
    expect(job.status).toBe('SUCCEEDED');
    expect(logs).toContain(`uid=${nobody.uid} home=/nonexistent user=nobody`);
    expect(logs).toContain('no-store');
    expect(logs).toContain('no-audit');
    expect(logs).toContain('no-runs');
    expect(logs).toContain(`${nobody.uid}\nwrote-own`);
    const ownFile = join(dataDir, 'run', job.submission_id, 'job', 'own-file.txt');
    expect(readFileSync(ownFile, 'utf8')).toBe('written\n');
    expect(statSync(ownFile).uid).toBe(nobody.uid);
  });

  it('refuses an unknown user and root at start', async () => {
    for (const [user, why] of [
      ['no-such-user-here', 'no user named'],
      ['root', 'must not run as root'],
    ]) {
      const failed = await startJobsServer({ args: ['--run-as-user', user ?? ''] }).catch(
        (error: unknown) => error,
      );
      expect(String(failed)).toContain(why);
    }
  });
});
