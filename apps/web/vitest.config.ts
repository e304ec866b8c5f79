import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'e2e/**/*.test.ts'],
    // The browser test starts a server and Chromium on a shared 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
