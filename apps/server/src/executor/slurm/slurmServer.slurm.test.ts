import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, inject, it } from 'vitest';
import {
  type ServerProcess,
  runServerToExit,
  startServerProcess,
} from '../../testing/serverProcess.js';
import { slurmExecutorArgs } from '../../testing/slurmServerArgs.js';
import { waitFor } from '../../testing/waitFor.js';

const cluster = inject('slurmCluster');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function sharedTempDir(prefix: string): string {
  const dir = mkdtempSync(join(cluster.sharedDir, prefix));
  cleanups.push(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** The server program as its own process, running jobs on the test cluster. */
async function start(dataDir: string): Promise<ServerProcess> {
  const server = await startServerProcess(
    ['--data-dir', dataDir, '--stop-grace-seconds', '1', ...slurmExecutorArgs(cluster)],
    { SLURM_CONF: cluster.slurmConf, JOBS_TOKENS: 'ops:admin:server-secret-token-0123456789' },
  );
  cleanups.push(() => server.child.kill('SIGKILL'));
  return server;
}

const auth = { authorization: 'Bearer server-secret-token-0123456789' };

async function submit(server: ServerProcess, body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${server.baseUrl}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { submission_id: string }).submission_id;
}

async function getJob(server: ServerProcess, id: string) {
  const res = await fetch(`${server.baseUrl}/api/jobs/${id}`, { headers: auth });
  return (await res.json()) as Record<string, unknown> & {
    status: string;
    driver_info: { id: string; pid: string; node_ip_address: string };
  };
}

function waitForStatus(server: ServerProcess, id: string, ...statuses: string[]) {
  return waitFor(
    `job ${id} to be ${statuses.join(' or ')}`,
    async () => {
      const job = await getJob(server, id);
      return statuses.includes(job.status) ? job : undefined;
    },
    30_000,
  );
}

async function logOf(server: ServerProcess, id: string): Promise<string> {
  const res = await fetch(`${server.baseUrl}/api/jobs/${id}/logs`, { headers: auth });
  return ((await res.json()) as { logs: string }).logs;
}

describe('a server running jobs on Slurm', () => {
  it('is killed with SIGKILL while jobs run and end, and a new server records each exactly', async () => {
    const dataDir = sharedTempDir('data-');
    const exchange = sharedTempDir('exchange-');
    const first = await start(dataDir);
    const endsWhileDown = await submit(first, {
      entrypoint: `while [ ! -e ${exchange}/first ]; do sleep 0.1; done; exit 5`,
    });
    const endsAfter = await submit(first, {
      entrypoint: `while [ ! -e ${exchange}/second ]; do sleep 0.1; done; echo after`,
    });
    const wideJob = await submit(first, {
      entrypoint: 'echo ran after all',
      entrypoint_num_cpus: cluster.cpusPerNode,
    });
    const before = await waitForStatus(first, endsAfter, 'RUNNING');
    await waitForStatus(first, endsWhileDown, 'RUNNING');
    expect(before.driver_info.id).toMatch(/^\d+$/);
    expect(before.driver_info.pid).toBe('');
    expect(cluster.nodes).toContain(before.driver_node_id);

    first.child.kill('SIGKILL');
    await first.exited;
    writeFileSync(join(exchange, 'first'), '');

    const second = await start(dataDir);
    expect(await waitForStatus(second, endsWhileDown, 'FAILED', 'SUCCEEDED')).toMatchObject({
      status: 'FAILED',
      driver_exit_code: 5,
      error_type: 'JOB_ENTRYPOINT_COMMAND_ERROR',
    });
    const still = await getJob(second, endsAfter);
    expect(still.status).toBe('RUNNING');
    expect(still.driver_info).toEqual(before.driver_info);
    writeFileSync(join(exchange, 'second'), '');
    expect(await waitForStatus(second, endsAfter, 'SUCCEEDED', 'FAILED')).toMatchObject({
      status: 'SUCCEEDED',
      driver_exit_code: 0,
    });
    expect(await logOf(second, endsAfter)).toBe('after\n');
    expect(await waitForStatus(second, wideJob, 'SUCCEEDED', 'FAILED')).toMatchObject({
      status: 'SUCCEEDED',
    });
    // Each job ran exactly once: one Slurm job per submission.
    const { stdout } = await promisify(execFile)(
      'squeue',
      ['--noheader', '--states=all', `--name=${wideJob}`, '--format=%i'],
      { env: cluster.env },
    );
    expect(stdout.trim().split('\n')).toHaveLength(1);
  });

  it('runs a hostile entrypoint exactly as given, without the server environment', async () => {
    const dataDir = sharedTempDir('data-');
    const server = await start(dataDir);
    const entrypoint = [
      `echo "it's" 'a "quote"' $(echo substituted) "$HOSTILE"`,
      `printf '%s|' 'multi`,
      `line' 'ünïcødé ✓'`,
      'echo',
      'env | grep -c "^JOBS_TOKENS=" || true',
      'env | grep -c "server-secret" || true',
    ].join('\n');
    const hostile = `$(touch ${cluster.sharedDir}/pwned) \`x\` 'q' "d"`;
    const id = await submit(server, {
      entrypoint,
      runtime_env: { env_vars: { HOSTILE: hostile } },
    });
    expect(await waitForStatus(server, id, 'SUCCEEDED', 'FAILED')).toMatchObject({
      status: 'SUCCEEDED',
    });
    expect(await logOf(server, id)).toBe(
      `it's a "quote" substituted ${hostile}\nmulti\nline|ünïcødé ✓|\n0\n0\n`,
    );
  });

  it('is ready while the controller answers, and counts its Slurm commands', async () => {
    const server = await start(sharedTempDir('data-'));
    const id = await submit(server, { entrypoint: 'true' });
    await waitForStatus(server, id, 'SUCCEEDED');
    expect((await fetch(`${server.baseUrl}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${server.baseUrl}/metrics`, { headers: auth })).text();
    expect(metrics).toMatch(
      /jobs_slurm_command_duration_seconds_count\{command="sbatch",outcome="ok"\} 1\n/,
    );
    expect(metrics).toMatch(
      /jobs_slurm_command_duration_seconds_count\{command="squeue",outcome="ok"\} \d+/,
    );
  });

  it('refuses to start, naming the flag, without a shared directory', async () => {
    const { code, output } = await runServerToExit(['--executor', 'slurm']);
    expect(code).toBe(2);
    expect(output).toContain('--slurm-shared-dir / JOBS_SLURM_SHARED_DIR');
  });
});
