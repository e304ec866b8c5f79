import { inject } from 'vitest';
import { describePythonJobClient } from './describePythonJobClient.js';

const cluster = inject('slurmCluster');

describePythonJobClient('Slurm', {
  args: () => [
    '--executor',
    'slurm',
    '--slurm-shared-dir',
    cluster.sharedDir,
    '--slurm-poll-seconds',
    '0.2',
  ],
  env: () => ({ SLURM_CONF: cluster.slurmConf }),
});
