import type { SlurmClusterInfo } from '@jobs/test-support';

/** The flags that make a test server run its jobs on the test cluster, polling it often. */
export function slurmExecutorArgs(cluster: SlurmClusterInfo): string[] {
  return [
    '--executor',
    'slurm',
    '--slurm-shared-dir',
    cluster.sharedDir,
    '--slurm-poll-seconds',
    '0.2',
  ];
}
