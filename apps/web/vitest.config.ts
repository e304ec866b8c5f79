import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'e2e/**/*.test.ts'],
    // The browser tests start a server and Chromium on a shared 2-core machine: one file at a
    // time, so they do not starve the suites running beside them, and generous ceilings.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
