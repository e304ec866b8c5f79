import { waitFor } from '@jobs/test-support';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { toJobDetails } from '../../jobs/toJobDetails.js';
import { createTestDatabase } from '../../testing/testDatabase.js';
import { DetailsJsonFill, FILL_RETRY_MS } from './postgresDetailsJsonFill.js';
import { PostgresJobStore } from './postgresJobStore.js';
import { migrate } from './postgresSchema.js';

const JOBS = 1_234;
const BATCH = 100;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  closers.push(() => client.end());
  return client;
}

function poolOf(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  closers.push(() => pool.end());
  return pool;
}

/** A database at schema 5 holding JOBS jobs (every third still running), migrated to the latest. */
async function upgradedStore(prefix: string): Promise<{ url: string; client: pg.Client }> {
  const url = await createTestDatabase(prefix);
  const client = await connect(url);
  await migrate(client, 5);
  await client.query(
    `INSERT INTO jobs (submission_id, entrypoint, status, message, start_time, end_time,
       metadata, runtime_env, resources, node_id, exit_code)
     SELECT 'old-' || n, 'echo "' || n || E'" \\\\ é', CASE WHEN n % 3 = 0 THEN 'RUNNING' ELSE 'FAILED' END,
       E'line\\n"quoted"', n, CASE WHEN n % 3 <> 0 THEN n + 7 END,
       ('{"n":"' || n || '"}')::json, '{"env_vars":{"B":"1","A":"2"}}', '{}', 'node',
       CASE WHEN n % 3 <> 0 THEN 1 END
     FROM generate_series(1, $1) AS n`,
    [JOBS],
  );
  const before = await client.query<{ file: string }>(
    `SELECT pg_relation_filenode('jobs') AS file`,
  );
  await migrate(client);
  const after = await client.query<{ file: string }>(`SELECT pg_relation_filenode('jobs') AS file`);
  // The migration added the column without rewriting the table (a rewrite holds it locked).
  expect(after.rows[0]?.file).toBe(before.rows[0]?.file);
  return { url, client };
}

const count = async (client: pg.Client, sql: string) =>
  Number((await client.query<{ n: string }>(sql)).rows[0]?.n);

const unfilled = (client: pg.Client) =>
  count(
    client,
    'SELECT count(*) AS n FROM jobs WHERE end_time IS NOT NULL AND details_json IS NULL',
  );

const fillRow = async (client: pg.Client) =>
  (await client.query<{ next_seq: string; last_seq: string }>('SELECT * FROM job_details_fill'))
    .rows[0];

/**
 * A login role on the test server that owns nothing, granted each of `grants` (`<privileges>
 * ON <objects>`); the URL that connects as it. The role is dropped after the test.
 */
async function roleWith(
  client: pg.Client,
  url: string,
  prefix: string,
  grants: string[],
): Promise<string> {
  const role = `${prefix}_${process.pid}_${Date.now()}`;
  await client.query(`CREATE ROLE ${role} LOGIN`);
  closers.push(async () => {
    await client.query(`DROP OWNED BY ${role}`);
    await client.query(`DROP ROLE ${role}`);
  });
  for (const grant of grants) await client.query(`GRANT ${grant} TO ${role}`);
  const asRole = new URL(url);
  asRole.username = role;
  asRole.password = '';
  return asRole.toString();
}

const ignore = { filled: () => undefined, failed: () => undefined };

describe('PostgreSQL: the kept JSON of jobs that ended before schema 6', () => {
  it('is filled a batch a transaction, from where the last batch left off', async () => {
    const { url, client } = await upgradedStore('fill_batches');
    expect(await unfilled(client)).toBe(JOBS - Math.floor(JOBS / 3));
    expect(await fillRow(client)).toEqual({ only_row: true, next_seq: '1', last_seq: `${JOBS}` });
    const eventsBefore = await count(client, 'SELECT count(*) AS n FROM job_events');

    const first = new DetailsJsonFill(poolOf(url), ignore, BATCH);
    const delay = await first.fillBatch();
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(delay).toBeLessThan(FILL_RETRY_MS);
    expect(await fillRow(client)).toMatchObject({ next_seq: `${BATCH + 1}` });
    // Seq 1..100 hold 67 ended jobs (every third is running).
    expect(
      await count(client, 'SELECT count(*) AS n FROM jobs WHERE details_json IS NOT NULL'),
    ).toBe(67);

    // Another server takes over from there, and ends the fill.
    let filled: number | undefined;
    const second = new DetailsJsonFill(
      poolOf(url),
      { ...ignore, filled: (jobs) => (filled = jobs) },
      BATCH,
    );
    let batches = 0;
    while ((await second.fillBatch()) !== undefined) batches += 1;
    expect(batches).toBe(Math.ceil(JOBS / BATCH) - 2);
    expect(filled).toBe(JOBS - Math.floor(JOBS / 3) - 67);
    expect(await unfilled(client)).toBe(0);
    expect(await fillRow(client)).toBeUndefined();
    expect(await second.fillBatch()).toBeUndefined();
    // Each text is the one job_details_json builds, and the change log recorded nothing.
    expect(
      await count(
        client,
        'SELECT count(*) AS n FROM jobs WHERE details_json IS DISTINCT FROM CASE WHEN end_time IS NOT NULL THEN job_details_json(jobs) END',
      ),
    ).toBe(0);
    expect(await count(client, 'SELECT count(*) AS n FROM job_events')).toBe(eventsBefore);
  });

  it('is left to the server holding it, and waits while another fills', async () => {
    const { url, client } = await upgradedStore('fill_held');
    const other = await connect(url);
    await other.query('BEGIN');
    await other.query('SELECT * FROM job_details_fill FOR UPDATE');
    const fill = new DetailsJsonFill(poolOf(url), ignore, BATCH);
    expect(await fill.fillBatch()).toBe(FILL_RETRY_MS);
    expect(
      await count(client, 'SELECT count(*) AS n FROM jobs WHERE details_json IS NOT NULL'),
    ).toBe(0);
    await other.query('ROLLBACK');
    expect(await fill.fillBatch()).toBeLessThan(FILL_RETRY_MS);
    expect(await fillRow(client)).toMatchObject({ next_seq: `${BATCH + 1}` });
  });

  it('is filled by a role that does not own the tables', async () => {
    const { url, client } = await upgradedStore('fill_role');
    const asRole = await roleWith(client, url, 'fill_role', [
      'SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public',
    ]);
    const fill = new DetailsJsonFill(poolOf(asRole), ignore, 500);
    while ((await fill.fillBatch()) !== undefined);
    expect(await unfilled(client)).toBe(0);
    expect(await fillRow(client)).toBeUndefined();
  });

  it('writes nothing of a batch that fails, reports it and goes on where it was', async () => {
    const { url, client } = await upgradedStore('fill_fails');
    // The role may claim the range but not write the jobs: the batch's UPDATE fails.
    const asRole = await roleWith(client, url, 'fill_fails', [
      'SELECT, UPDATE ON job_details_fill',
      'SELECT ON jobs',
    ]);
    const failures: unknown[] = [];
    const fill = new DetailsJsonFill(
      poolOf(asRole),
      { ...ignore, failed: (error) => failures.push(error) },
      BATCH,
    );
    await expect(fill.fillBatch()).rejects.toThrow(/permission denied/);
    expect(await fillRow(client)).toMatchObject({ next_seq: '1' });
    expect(
      await count(client, 'SELECT count(*) AS n FROM jobs WHERE details_json IS NOT NULL'),
    ).toBe(0);
    // In the background the failure is reported, and the fill stops cleanly.
    fill.start();
    await waitFor('the failure to be reported', () => (failures.length > 0 ? true : undefined));
    await fill.stop();
    expect(String(failures[0])).toMatch(/permission denied/);

    await client.query(`GRANT UPDATE ON jobs TO ${new URL(asRole).username}`);
    expect(await fill.fillBatch()).toBeLessThan(FILL_RETRY_MS);
    expect(await fillRow(client)).toMatchObject({ next_seq: `${BATCH + 1}` });
  });

  it('is filled in the background by the stores that open it, while they serve reads and writes', async () => {
    const { url, client } = await upgradedStore('fill_stores');
    const eventsBefore = await count(client, 'SELECT count(*) AS n FROM job_events');
    const failures: unknown[] = [];
    const reported: number[] = [];
    const open = () =>
      PostgresJobStore.open({
        url,
        poolSize: 2,
        exclusive: false,
        onConnectionError: (error) => failures.push(error),
        fillEvents: { filled: (jobs) => reported.push(jobs) },
      });
    const stores = await Promise.all([open(), open()]);
    for (const store of stores) closers.push(() => store.close());
    const [one, two] = stores;
    // Reads and writes meanwhile: a running job ends, one is deleted.
    await one.finish('old-3', {
      status: 'SUCCEEDED',
      message: 'Done "now".',
      exitCode: 0,
      errorType: '',
      endTime: 99,
    });
    expect(await two.deleteFinished('old-1')).toBe(true);
    const details = await two.get('old-2');
    expect(details?.status).toBe('FAILED');

    await waitFor('the fill to end', async () => ((await fillRow(client)) ? undefined : true));
    expect(failures).toEqual([]);
    // One server wrote the last batch and reported the texts it wrote.
    await waitFor('the fill to be reported', () => (reported.length > 0 ? true : undefined));
    expect(reported).toHaveLength(1);
    expect(reported[0]).toBeGreaterThan(0);
    expect(await unfilled(client)).toBe(0);
    for (const id of ['old-2', 'old-3', `old-${JOBS - 2}`]) {
      const job = await one.get(id);
      if (job === undefined) throw new Error(`job ${id} is missing`);
      const { rows } = await client.query<{ details_json: string }>(
        'SELECT details_json FROM jobs WHERE submission_id = $1',
        [id],
      );
      expect(rows[0]?.details_json).toBe(JSON.stringify(toJobDetails(job)));
    }
    // The change log holds the two changes, nothing of the fill.
    expect(await count(client, 'SELECT count(*) AS n FROM job_events')).toBe(eventsBefore + 2);
  });
});
