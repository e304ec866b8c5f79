import type { JobsServerOptions } from '@jobs/test-support';

/** The built server as the browser tests run it: over a fresh data dir, its jobs ending with it. */
export const serverOptions = {
  dataDirPrefix: 'jobs-web-e2e-',
  stopJobsOnShutdown: true,
  stopGraceSeconds: 1,
} satisfies JobsServerOptions;
