import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Builds and installs (the bundle, `npm start`) on a loaded 2-core machine: generous
    // ceilings, conditions waited on, never sleeps.
    testTimeout: 300_000,
    // Both the bundle and `npm start` build the workspace: one at a time.
    fileParallelism: false,
    hookTimeout: 120_000,
  },
});
