import type { TestProject } from 'vitest/node';
import { type SlurmClusterInfo, startSlurmCluster, stopAbandonedClusters } from './slurmCluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    slurmCluster: SlurmClusterInfo;
  }
}

/**
 * One throwaway Slurm cluster for every `*.slurm.test.ts` file of a run (starting one takes
 * seconds); it is stopped when the run ends, failed or not.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await stopAbandonedClusters();
  const { stop, ...info } = await startSlurmCluster(3);
  project.provide('slurmCluster', info);
  return stop;
}
