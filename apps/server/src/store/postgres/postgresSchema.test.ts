import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../testing/testDatabase.js';
import { PostgresJobStore } from './postgresJobStore.js';

const stores: PostgresJobStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

const open = (url: string) =>
  PostgresJobStore.open({
    url,
    poolSize: 2,
    exclusive: false,
    onConnectionError: (error) => {
      throw error;
    },
  });

async function appliedVersions(url: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    return rows.map((row) => row.version);
  } finally {
    await client.end();
  }
}

describe('PostgreSQL schema migrations', () => {
  it('migrate once when replicas start at the same time', async () => {
    const url = await createTestDatabase('migrate');
    stores.push(...(await Promise.all([open(url), open(url), open(url), open(url)])));
    expect(await appliedVersions(url)).toEqual([1]);
    // Every replica sees the one schema (and the one store identity).
    const ids = await Promise.all(
      stores.map(async (store) => (await store.queries.version()).storeId),
    );
    expect(new Set(ids).size).toBe(1);
  });

  it('refuse a database written by a newer server', async () => {
    const url = await createTestDatabase('newer');
    stores.push(await open(url));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('INSERT INTO schema_migrations (version) VALUES (99)');
    await client.end();
    await expect(open(url)).rejects.toThrow(/written by a newer server \(schema 99/);
  });
});
