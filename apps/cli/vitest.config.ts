import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Real processes on a loaded 2-core machine: generous ceilings, conditions waited on, never sleeps.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'cli',
          include: ['src/**/*.test.ts'],
          exclude: ['src/**/*.slurm.test.ts'],
        },
      },
      {
        // Against one real Slurm cluster, started once for the run: one file at a time.
        extends: true,
        test: {
          name: 'slurm',
          include: ['src/**/*.slurm.test.ts'],
          globalSetup: ['@jobs/test-support/slurmGlobalSetup'],
          // Each test starts on an empty cluster, whatever the test before it left queued.
          setupFiles: ['@jobs/test-support/slurmTestCleanup'],
          fileParallelism: false,
        },
      },
    ],
  },
});
