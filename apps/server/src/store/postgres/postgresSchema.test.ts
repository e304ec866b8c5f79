import { waitFor } from '@jobs/test-support';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { toJobDetails } from '../../jobs/toJobDetails.js';
import { createTestDatabase } from '../../testing/testDatabase.js';
import { PostgresJobStore } from './postgresJobStore.js';
import { migrate } from './postgresSchema.js';

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
    expect(await appliedVersions(url)).toEqual([1, 2, 3, 4, 5, 6]);
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

  it('count the jobs of a store from before the maintained counts when upgrading it', async () => {
    const url = await createTestDatabase('counts');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await migrate(client, 1);
      await client.query(
        `INSERT INTO jobs (submission_id, entrypoint, status, message, start_time, metadata,
           runtime_env, resources, node_id)
         SELECT 'old-' || n, 'true', (ARRAY['PENDING', 'RUNNING', 'FAILED'])[n % 3 + 1], '', n,
           '{}', '{}', '{}', 'n'
         FROM generate_series(1, 7) AS n`,
      );
    } finally {
      await client.end();
    }
    const store = await open(url);
    stores.push(store);
    expect(await store.countByStatus()).toEqual({
      PENDING: 2,
      RUNNING: 3,
      SUCCEEDED: 0,
      FAILED: 2,
      STOPPED: 0,
    });
    const [job] = (await store.listActive()).filter((j) => j.status === 'RUNNING');
    await store.finish(job?.submissionId ?? '', {
      status: 'SUCCEEDED',
      message: 'Done.',
      exitCode: 0,
      errorType: '',
      endTime: 10,
    });
    expect(await store.countByStatus()).toMatchObject({ RUNNING: 2, SUCCEEDED: 1 });
  });

  it('index the metadata of a store from before the metadata index, with each job status', async () => {
    const url = await createTestDatabase('metadata');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await migrate(client, 2);
      await client.query(
        `INSERT INTO jobs (submission_id, entrypoint, status, message, start_time, metadata,
           runtime_env, resources, node_id)
         SELECT 'old-' || n, 'true', (ARRAY['RUNNING', 'FAILED'])[n % 2 + 1], '', n,
           json_build_object('team', (ARRAY['ml', 'data'])[n % 2 + 1], 'n', n::text),
           '{}', '{}', 'n'
         FROM generate_series(1, 6) AS n`,
      );
    } finally {
      await client.end();
    }
    const store = await open(url);
    stores.push(store);
    const summary = async (metadata: Record<string, string>) =>
      (await store.queries.countByStatus({ metadata }, 100)).byStatus;
    // Even n: team ml and RUNNING; odd n: team data and FAILED.
    expect(await summary({ team: 'ml' })).toMatchObject({ RUNNING: 3, FAILED: 0 });
    expect(await summary({ team: 'data' })).toMatchObject({ RUNNING: 0, FAILED: 3 });
    expect(await summary({ n: '4' })).toMatchObject({ RUNNING: 1 });
    await store.finish('old-4', {
      status: 'SUCCEEDED',
      message: 'Done.',
      exitCode: 0,
      errorType: '',
      endTime: 10,
    });
    expect(await summary({ team: 'ml' })).toMatchObject({ RUNNING: 2, SUCCEEDED: 1 });
    expect(await store.deleteFinished('old-4')).toBe(true);
    expect(await summary({ team: 'ml' })).toMatchObject({ RUNNING: 2, SUCCEEDED: 0 });
  });

  it('keep the JSON of the jobs already ended when upgrading a store, and of each job that ends', async () => {
    const url = await createTestDatabase('details_json');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const detailsJson = async () => {
      const { rows } = await client.query<{ submission_id: string; details_json: string | null }>(
        'SELECT submission_id, details_json FROM jobs ORDER BY seq',
      );
      return new Map(rows.map((row) => [row.submission_id, row.details_json]));
    };
    const lastEvent = async () =>
      (
        await client.query<{ id: string; job: Record<string, unknown> }>(
          'SELECT id, job FROM job_events ORDER BY id DESC LIMIT 1',
        )
      ).rows[0];
    try {
      await migrate(client, 5);
      await client.query(
        `INSERT INTO jobs (submission_id, entrypoint, status, message, start_time, end_time,
           metadata, runtime_env, resources, node_id, exit_code)
         SELECT 'old-' || n, 'echo "é ' || n || E'"\n', (ARRAY['RUNNING', 'FAILED'])[n % 2 + 1],
           E'a \\\\ "b"\\t', n, CASE WHEN n % 2 = 1 THEN n + 5 END,
           ('{"team":"ml","n":"' || n || '"}')::json, '{"env_vars":{"Z":"1","A":"2"}}', '{}',
           'n', CASE WHEN n % 2 = 1 THEN 3 END
         FROM generate_series(1, 4) AS n`,
      );
      const eventsBefore = await lastEvent();
      const store = await open(url);
      stores.push(store);
      // The texts of the jobs already ended are written in the background after the upgrade.
      await waitFor('the texts of ended jobs', async () => {
        const { rows } = await client.query('SELECT 1 FROM job_details_fill');
        return rows.length === 0 ? true : undefined;
      });
      // The change log did not record the upgrade.
      expect(await lastEvent()).toEqual(eventsBefore);
      const expectedJson = async (submissionId: string) => {
        const job = await store.get(submissionId);
        if (job === undefined) throw new Error(`${submissionId} is gone`);
        return JSON.stringify(toJobDetails(job));
      };
      expect(await detailsJson()).toEqual(
        new Map([
          ['old-1', await expectedJson('old-1')],
          ['old-2', null],
          ['old-3', await expectedJson('old-3')],
          ['old-4', null],
        ]),
      );
      await store.finish('old-2', {
        status: 'SUCCEEDED',
        message: 'Done "now".',
        exitCode: 0,
        errorType: '',
        endTime: 10,
      });
      expect((await detailsJson()).get('old-2')).toBe(await expectedJson('old-2'));
      // The change log records the job, not the text kept for the list.
      const finished = await lastEvent();
      expect(finished?.job).toMatchObject({ submission_id: 'old-2', status: 'SUCCEEDED' });
      expect(finished?.job.details_json).toBeNull();
      expect(await store.deleteFinished('old-1')).toBe(true);
      expect((await lastEvent())?.job).toMatchObject({
        submission_id: 'old-1',
        details_json: null,
      });
    } finally {
      await client.end();
    }
  });
});
