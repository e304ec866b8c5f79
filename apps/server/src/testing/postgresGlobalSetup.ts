import type { TestProject } from 'vitest/node';
import { startPostgresServer } from './postgresServer.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The maintenance database of the test run's PostgreSQL server (see testDatabase.ts). */
    postgresUrl: string;
  }
}

/**
 * One PostgreSQL server for the whole test run, stopped and removed when the run ends (passed,
 * failed or interrupted); each test file makes its own database on it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgresServer();
  project.provide('postgresUrl', server.url);
  return () => server.dispose();
}
