import { afterEach, inject } from 'vitest';
import { cancelClusterJobs } from './slurmCluster.js';

/**
 * A vitest setup file for tests against the cluster of `slurmGlobalSetup`: after each test, once
 * the test's own hooks have stopped its servers, every job still queued or running on the cluster
 * is cancelled and waited out. A test that fails with its jobs queued then leaves the nodes free
 * for the next test instead of making it wait behind them.
 */
afterEach(async () => {
  await cancelClusterJobs(inject('slurmCluster').env);
});
