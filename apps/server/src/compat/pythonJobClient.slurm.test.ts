import { inject } from 'vitest';
import { slurmExecutorArgs } from '../testing/slurmServerArgs.js';
import { describePythonJobClient } from './describePythonJobClient.js';

const cluster = inject('slurmCluster');

describePythonJobClient('Slurm', {
  args: () => slurmExecutorArgs(cluster),
  env: () => ({ SLURM_CONF: cluster.slurmConf }),
});
