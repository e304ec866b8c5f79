import type { ServerOptions } from '../openServer.js';
import { createTestDatabase } from './testDatabase.js';

/** A store backend a server test can run on: `database` gives the server option selecting it. */
export interface StoreBackend {
  name: string;
  database(): Promise<ServerOptions['database']>;
}

/** SQLite in the test's data dir, and a fresh database on the test run's PostgreSQL server. */
export const storeBackends: readonly StoreBackend[] = [
  { name: 'SQLite', database: () => Promise.resolve(undefined) },
  {
    name: 'PostgreSQL',
    database: async () => ({ url: await createTestDatabase('server'), poolSize: 4 }),
  },
];
