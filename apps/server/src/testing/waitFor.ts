// Shared with the other packages' tests (the Slurm cluster harness polls with it too).
export { waitFor } from '@jobs/test-support';
