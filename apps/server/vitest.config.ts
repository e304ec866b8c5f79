import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // One throwaway PostgreSQL server per run, for the tests of the PostgreSQL store.
    globalSetup: ['src/testing/postgresGlobalSetup.ts'],
    // Real processes on a loaded 2-core machine: generous ceilings, conditions waited on, never sleeps.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
