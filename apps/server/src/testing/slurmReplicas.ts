import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SlurmClusterInfo } from '@jobs/test-support';
import { type ServerProcess, startServerProcess } from './serverProcess.js';
import { slurmExecutorArgs } from './slurmServerArgs.js';
import { waitFor } from './waitFor.js';

/** A job as one server answers for it: the HTTP status and the body. */
export async function getReplicaJob(server: SlurmReplica, id: string) {
  const res = await fetch(`${server.baseUrl}/api/jobs/${id}`);
  return { status: res.status, job: (await res.json()) as Record<string, unknown> };
}

/** Waits until the server says the job is in one of `statuses`, and returns it. */
export function waitForReplicaStatus(server: SlurmReplica, id: string, ...statuses: string[]) {
  return waitFor(
    `job ${id} to be ${statuses.join(' or ')}`,
    async () => {
      const { job } = await getReplicaJob(server, id);
      return statuses.includes(job.status as string) ? job : undefined;
    },
    30_000,
  );
}

export interface SlurmReplica extends ServerProcess {
  /** Whether this server says (in /metrics) that it leads. */
  isLeader(): Promise<boolean>;
}

export interface SlurmReplicas {
  servers: SlurmReplica[];
  /** Waits until exactly one of the running servers leads, and returns it. */
  leader(): Promise<SlurmReplica>;
  /** Stops every server still running and removes their data dirs. */
  stop(): Promise<void>;
}

/**
 * `count` server processes running jobs on the test cluster over one PostgreSQL database,
 * each with its own data dir (in the shared dir, so jobs could see it) and port.
 */
export async function startSlurmReplicas(
  cluster: SlurmClusterInfo,
  databaseUrl: string,
  count: number,
): Promise<SlurmReplicas> {
  const dataDirs: string[] = [];
  const servers: SlurmReplica[] = [];
  const stop = async () => {
    for (const server of servers) {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGTERM');
      }
      await server.exited;
    }
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < count; i++) {
      const dataDir = mkdtempSync(join(cluster.sharedDir, 'replica-'));
      dataDirs.push(dataDir);
      const server = await startServerProcess(
        [
          '--data-dir',
          dataDir,
          '--stop-grace-seconds',
          '1',
          ...slurmExecutorArgs(cluster),
          '--database-url',
          databaseUrl,
        ],
        { SLURM_CONF: cluster.slurmConf },
      );
      servers.push({
        ...server,
        async isLeader() {
          const metrics = await (await fetch(`${server.baseUrl}/metrics`)).text();
          return /^jobs_leader 1$/m.test(metrics);
        },
      });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    servers,
    leader: () =>
      waitFor('one server to lead', async () => {
        const running = servers.filter((server) => server.child.exitCode === null);
        const leading = [];
        for (const server of running) {
          if (server.child.signalCode === null && (await server.isLeader())) leading.push(server);
        }
        return leading.length === 1 ? leading[0] : undefined;
      }),
    stop,
  };
}
