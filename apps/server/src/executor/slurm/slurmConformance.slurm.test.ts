import { inject } from 'vitest';
import { describeJobExecutor } from '../describeJobExecutor.js';

const cluster = inject('slurmCluster');

describeJobExecutor('slurm', () =>
  Promise.resolve({
    serverOptions: () => ({
      slurm: {
        slurmConf: cluster.slurmConf,
        partition: undefined,
        sharedDir: cluster.sharedDir,
        pollMs: 200,
        commandTimeoutMs: 15_000,
      },
    }),
    // Every node has 2 CPUs: one job asking for 2 fills a node.
    jobsFillingCapacity: cluster.nodes.length,
    sharedDir: () => cluster.sharedDir,
    timeoutMs: 30_000,
  }),
);
