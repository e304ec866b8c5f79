import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SlurmClusterInfo } from '@jobs/test-support';
import type { ServerOptions } from '../openServer.js';
import { type TestServer, startTestServer } from './testServer.js';
import { waitFor } from './waitFor.js';

export interface SlurmTestServer extends TestServer {
  /** The server's own directory in the cluster's shared one: `logs/` and `run/`. */
  sharedDir: string;
}

/** Slurm schedules on a 1 s tick, and extraction and sbatch are processes of their own. */
const STATUS_TIMEOUT_MS = 60_000;

/**
 * startTestServer running its jobs on the test cluster, over a shared directory of its own (so
 * submission ids never meet another test's), waiting longer for a status on a busy machine;
 * dispose() removes that directory too.
 */
export async function startSlurmTestServer(
  cluster: SlurmClusterInfo,
  overrides: Partial<ServerOptions> = {},
): Promise<SlurmTestServer> {
  const sharedDir = mkdtempSync(join(cluster.sharedDir, 'server-'));
  const server = await startTestServer({
    slurm: {
      slurmConf: cluster.slurmConf,
      partition: undefined,
      sharedDir,
      pollMs: 200,
      commandTimeoutMs: 15_000,
    },
    ...overrides,
  });
  return {
    ...server,
    sharedDir,
    waitForStatus(id, ...statuses) {
      return waitFor(
        `job ${id} to be ${statuses.join(' or ')}`,
        async () => {
          const job = await server.getJob(id);
          return statuses.includes(job.status) ? job : undefined;
        },
        STATUS_TIMEOUT_MS,
      );
    },
    async dispose() {
      await server.dispose();
      rmSync(sharedDir, { recursive: true, force: true });
    },
  };
}
