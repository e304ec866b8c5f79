import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Real processes on a loaded 2-core machine: generous ceilings, conditions waited on, never sleeps.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          include: ['src/**/*.test.ts'],
          exclude: ['src/**/*.slurm.test.ts'],
          // One throwaway PostgreSQL server per run, for the tests of the PostgreSQL store.
          globalSetup: ['src/testing/postgresGlobalSetup.ts'],
        },
      },
      {
        // Against one real Slurm cluster, started once for the run: one file at a time.
        extends: true,
        test: {
          name: 'slurm',
          include: ['src/**/*.slurm.test.ts'],
          // PostgreSQL too: replicas of the server share one database.
          globalSetup: [
            '@jobs/test-support/slurmGlobalSetup',
            'src/testing/postgresGlobalSetup.ts',
          ],
          // Each test starts on an empty cluster, whatever the test before it left queued.
          setupFiles: ['@jobs/test-support/slurmTestCleanup'],
          fileParallelism: false,
        },
      },
    ],
  },
});
