import type { TestProject } from 'vitest/node';
import { startSlurmCluster, stopAbandonedClusters } from './slurmCluster.js';

/** Custom resources the test cluster offers as licenses, enough for every test that asks. */
const TEST_LICENSES = { widget: 4 };

/**
 * A vitest globalSetup: one throwaway Slurm cluster (3 nodes of 2 CPUs, 4 `widget` licenses) for
 * every `*.slurm.test.ts` file of a run, since starting one takes seconds; tests get it with
 * `inject('slurmCluster')`. It is stopped when the run ends, failed or not.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await stopAbandonedClusters();
  const { stop, ...info } = await startSlurmCluster(3, TEST_LICENSES);
  project.provide('slurmCluster', info);
  return stop;
}
