import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startJobsServer } from '@jobs/test-support';
import { inject } from 'vitest';
import { describeJobctl } from './testing/describeJobctl.js';

const cluster = inject('slurmCluster');

describeJobctl('Slurm', async () => {
  // Logs and run directories of its own, so submission ids never meet another test's.
  const sharedDir = mkdtempSync(join(cluster.sharedDir, 'jobctl-'));
  const server = await startJobsServer({
    dataDirPrefix: 'jobctl-slurm-test-',
    env: { JOBS_LOG_LEVEL: undefined, SLURM_CONF: cluster.slurmConf },
    stopGraceSeconds: 1,
    // The cluster's nodes have 2 CPUs each and it holds 4 `widget` licenses.
    args: ['--executor', 'slurm', '--slurm-shared-dir', sharedDir, '--slurm-poll-seconds', '0.2'],
  });
  return {
    ...server,
    async stop(options) {
      await server.stop(options);
      rmSync(sharedDir, { recursive: true, force: true });
    },
  };
});
