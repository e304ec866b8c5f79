import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { processStartTime, statFields } from '../../process/processIdentity.js';
import { type TestServer, startTestServer } from '../../testing/testServer.js';
import { waitFor } from '../../testing/waitFor.js';

const POOL_SIZE = 2;
const driverEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' };

let servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers) await server.dispose();
  servers = [];
});

async function start(driverPoolSize: number): Promise<TestServer> {
  const server = await startTestServer({ driverPoolSize, driverEnv });
  servers.push(server);
  return server;
}

function argsOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

/** Live pooled wrappers started by this (the test's) process, the servers' spawner threads. */
function pooledWrappers(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      const fields = statFields(pid);
      return (
        fields !== null &&
        fields[0] !== 'Z' &&
        Number(fields[1]) === process.pid &&
        argsOf(pid).includes('--pooled')
      );
    });
}

const waitForPool = (size: number) =>
  waitFor(`${String(size)} pooled wrappers`, () => {
    const pids = pooledWrappers();
    return pids.length === size ? pids : undefined;
  });

/** What a job sees of itself: its environment, working directory and process group. */
const probeEntrypoint =
  'echo "cwd=$(pwd)"; echo "pgid=$(ps -o pgid= -p $$ | tr -d " ")"; env | sort | sed "s/^/env:/"';

function parseProbe(logs: string) {
  const line = (name: string) => new RegExp(`^${name}=(.*)$`, 'm').exec(logs)?.[1];
  const env = logs
    .split('\n')
    .filter((l) => l.startsWith('env:'))
    .map((l) => l.slice('env:'.length))
    // Set by the shell itself, or different for every job.
    .filter((l) => !/^(PWD|SHLVL|_|OLDPWD|JOBS_SUBMISSION_ID|JOBS_RUN_TOKEN)=/.test(l));
  return { cwd: line('cwd'), pgid: line('pgid'), env };
}

/** The driver reference the store holds for a job: `<pid>:<kernel start time>`. */
function recordedDriver(server: TestServer, id: string): unknown {
  const db = new Database(join(server.dataDir, 'jobs.sqlite'), { readonly: true });
  try {
    const row = db.prepare('SELECT driver_ref FROM jobs WHERE submission_id = ?').get(id) as
      { driver_ref: unknown } | undefined;
    return row?.driver_ref;
  } finally {
    db.close();
  }
}

async function runProbe(server: TestServer) {
  const id = await server.submit({
    entrypoint: probeEntrypoint,
    runtime_env: { env_vars: { OWN: 'mine' } },
  });
  const job = await server.waitForStatus(id, 'SUCCEEDED', 'FAILED', 'STOPPED');
  const { logs } = (await server.http.get(`/api/jobs/${id}/logs`).expect(200)).body as {
    logs: string;
  };
  return { id, job, probe: parseProbe(logs) };
}

describe('the pool of driver wrappers', () => {
  it('is started with the first job, waits with PATH as its only variable, and refills', async () => {
    const server = await start(POOL_SIZE);
    expect(pooledWrappers()).toEqual([]);
    const { job } = await runProbe(server);
    expect(job.status).toBe('SUCCEEDED');
    const pool = await waitForPool(POOL_SIZE);
    for (const pid of pool) {
      const environ = readFileSync(`/proc/${String(pid)}/environ`, 'utf8').split('\0');
      expect(environ.filter((entry) => entry !== '')).toEqual([`PATH=${driverEnv.PATH}`]);
    }
    const startTimes = new Map(pool.map((pid) => [pid, processStartTime(pid)]));
    // The next job takes a wrapper from the pool, which is filled again.
    const next = await runProbe(server);
    expect(next.job.status).toBe('SUCCEEDED');
    const pid = Number(next.job.driver_info.pid);
    expect(pool).toContain(pid);
    // Recorded with the wrapper's own start time, by which a restarted server tells it apart.
    expect(startTimes.get(pid)).toMatch(/^\d+$/);
    expect(recordedDriver(server, next.id)).toBe(`${String(pid)}:${startTimes.get(pid) ?? ''}`);
    const refilled = await waitForPool(POOL_SIZE);
    expect(refilled).not.toContain(Number(next.job.driver_info.pid));
  });

  it('runs a job with the environment, directory and process group a fresh wrapper gives it', async () => {
    const fresh = await runProbe(await start(0));
    const server = await start(POOL_SIZE);
    await runProbe(server);
    const pool = await waitForPool(POOL_SIZE);
    const pooled = await runProbe(server);

    expect(pool).toContain(Number(pooled.job.driver_info.pid));
    expect(pooled.job.status).toBe('SUCCEEDED');
    expect(pooled.probe.env).toEqual(fresh.probe.env);
    expect(pooled.probe.env).toContain('OWN=mine');
    expect(pooled.probe.cwd).toBe(server.dataDir);
    // The wrapper leads the job's process group, as one started for the job does.
    expect(pooled.probe.pgid).toBe(pooled.job.driver_info.pid);
    expect(fresh.probe.pgid).toBe(fresh.job.driver_info.pid);
  });

  it('replaces a wrapper killed while idle and never hands it a job', async () => {
    const server = await start(POOL_SIZE);
    await runProbe(server);
    const killed = await waitForPool(POOL_SIZE);
    for (const pid of killed) process.kill(pid, 'SIGKILL');
    // Submitted at once: the spawner may not have seen the deaths yet.
    const { job } = await runProbe(server);
    expect(job.status).toBe('SUCCEEDED');
    expect(killed).not.toContain(Number(job.driver_info.pid));
    const replaced = await waitForPool(POOL_SIZE);
    expect(replaced.filter((pid) => killed.includes(pid))).toEqual([]);
  });

  it('leaves no wrapper behind when the server shuts down', async () => {
    const server = await start(POOL_SIZE);
    await runProbe(server);
    await waitForPool(POOL_SIZE);
    await server.close();
    expect(pooledWrappers()).toEqual([]);
  });
});
