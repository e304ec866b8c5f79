export { jobFixture } from './jobFixture.js';
export { type JobsServer, type JobsServerOptions, startJobsServer } from './jobsServer.js';
export {
  type SlurmCluster,
  type SlurmClusterInfo,
  clusterProcesses,
  startSlurmCluster,
  stopAbandonedClusters,
} from './slurmCluster.js';
export { waitFor } from './waitFor.js';
