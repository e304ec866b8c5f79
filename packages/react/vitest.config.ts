import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // A real server process on a loaded 2-core machine: generous ceilings, conditions waited on.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
