import { inject } from 'vitest';
import { createDatabase } from './postgresServer.js';

/** A new empty database on the test run's PostgreSQL server: one per test file, or per test. */
export function createTestDatabase(prefix: string): Promise<string> {
  return createDatabase(inject('postgresUrl'), prefix);
}
