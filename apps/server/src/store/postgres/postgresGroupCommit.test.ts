import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { JobAlreadyExistsError } from '../../errors.js';
import { createTestDatabase } from '../../testing/testDatabase.js';
import { waitFor } from '../../testing/waitFor.js';
import { newJob } from '../describeJobStore.js';
import { StoreUnavailableError } from '../storeUnavailableError.js';
import { PostgresGroupCommit } from './postgresGroupCommit.js';
import { PostgresJobStore } from './postgresJobStore.js';

const opened: { store: PostgresJobStore; admin: pg.Client }[] = [];
const pools: pg.Pool[] = [];
afterEach(async () => {
  for (const { store, admin } of opened.splice(0)) {
    await store.close();
    await admin.end();
  }
  for (const pool of pools.splice(0)) await pool.end();
});

/**
 * A store on a fresh database with a pool of two connections (fewer than the writes of one
 * group by far), and a connection of the test's own to the same database.
 */
async function open(): Promise<{ store: PostgresJobStore; admin: pg.Client; url: string }> {
  const url = await createTestDatabase('group_commit');
  const store = await PostgresJobStore.open({
    url,
    poolSize: 2,
    exclusive: true,
    onConnectionError: () => undefined,
  });
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  opened.push({ store, admin });
  return { store, admin, url };
}

/**
 * A group commit of its own on the store's database, over a pool whose connections record the
 * statements they are sent (their first word).
 */
async function recordedGroupCommit(): Promise<{ writes: PostgresGroupCommit; sent: string[] }> {
  const { url } = await open();
  const pool = new pg.Pool({ connectionString: url });
  pools.push(pool);
  const sent: string[] = [];
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args) => {
      sent.push(String(args[0]).trim().split(/\s+/)[0] ?? '');
      return query(...args);
    };
  });
  return { writes: new PostgresGroupCommit(pool), sent };
}

/** Holds the change log's counter in `admin`'s transaction: every write waits for it. */
async function holdChangeLog(admin: pg.Client): Promise<void> {
  await admin.query('BEGIN');
  await admin.query('SELECT * FROM job_event_counter FOR UPDATE');
}

/**
 * Ends, from the database's side, the connection of the write waiting for the counter held by
 * holdChangeLog(), then lets the counter go.
 */
async function endWaitingWrite(admin: pg.Client, what: string): Promise<void> {
  const pid = await waitFor(what, async () => {
    const { rows } = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    return rows[0]?.pid;
  });
  await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  await admin.query('ROLLBACK');
}

describe('PostgreSQL group commit', () => {
  it('sends a lone statement as its own transaction, and a group inside BEGIN and COMMIT', async () => {
    const { writes, sent } = await recordedGroupCommit();
    const alone = await writes.insert(newJob());
    expect(sent).toEqual(['INSERT']);
    sent.length = 0;
    // Inserts of one turn are one statement: still no transaction around them.
    await Promise.all([writes.insert(newJob()), writes.insert(newJob())]);
    expect(sent).toEqual(['INSERT']);
    sent.length = 0;
    const [, changed] = await Promise.all([
      writes.insert(newJob()),
      writes.change("UPDATE jobs SET message = 'Waiting.' WHERE submission_id = $1", [
        alone.submissionId,
      ]),
    ]);
    expect(changed).toBe(true);
    expect(sent).toEqual(['BEGIN', 'INSERT', 'UPDATE', 'COMMIT']);
  });

  it('refuses a lone write the database rejects, and writes the next one', async () => {
    const { store } = await open();
    const taken = await store.insert(newJob());
    await expect(store.insert(newJob({ submissionId: taken.submissionId }))).rejects.toBeInstanceOf(
      JobAlreadyExistsError,
    );
    await expect(store.insert(newJob({ entrypoint: 'echo \u0000' }))).rejects.toThrow();
    const next = await store.insert(newJob());
    expect(await store.get(next.submissionId)).toBeDefined();
  });

  it('refuses a lone write whose connection is lost before it committed, and keeps nothing of it', async () => {
    const { store, admin } = await open();
    await holdChangeLog(admin);
    const job = newJob();
    const write = store.insert(job).then(
      () => undefined,
      (error: unknown) => error,
    );
    await endWaitingWrite(admin, 'the insert to wait for the counter');
    expect(await write).toBeInstanceOf(StoreUnavailableError);
    expect(await store.get(job.submissionId)).toBeUndefined();
  });

  it('commits many concurrent inserts over a small pool, each visible once answered', async () => {
    const { store, admin } = await open();
    const jobs = Array.from({ length: 1_200 }, () => newJob());
    const inserted = await Promise.all(jobs.map((job) => store.insert(job)));
    expect(inserted.map((record) => record.submissionId)).toEqual(
      jobs.map((job) => job.submissionId),
    );
    for (const job of jobs.filter((_, i) => i % 97 === 0)) {
      expect(await store.get(job.submissionId)).toMatchObject({
        submissionId: job.submissionId,
        metadata: job.metadata,
        status: 'PENDING',
      });
    }
    const { rows } = await admin.query<{ count: string }>('SELECT count(*) FROM jobs');
    expect(Number(rows[0]?.count)).toBe(jobs.length);
    // One change each, in the order the inserts were asked for.
    const events = await store.queries.eventsAfter(0, 2_000);
    expect(events.map((event) => event.job.submissionId)).toEqual(
      jobs.map((job) => job.submissionId),
    );
  });

  it('refuses a taken id alone, the rest of its group committed', async () => {
    const { store } = await open();
    const taken = await store.insert(newJob({ requestDigest: 'first' }));
    const jobs = Array.from({ length: 50 }, () => newJob());
    const results = await Promise.allSettled([
      ...jobs.slice(0, 25).map((job) => store.insert(job)),
      store.insert(newJob({ submissionId: taken.submissionId, requestDigest: 'second' })),
      // The same new id twice in one group: the first asked for owns it.
      store.insert(newJob({ submissionId: 'twice', requestDigest: 'one' })),
      store.insert(newJob({ submissionId: 'twice', requestDigest: 'two' })),
      ...jobs.slice(25).map((job) => store.insert(job)),
    ]);
    const refused = results.flatMap((result) =>
      result.status === 'rejected' ? [result.reason as unknown] : [],
    );
    expect(refused).toHaveLength(2);
    expect(refused[0]).toBeInstanceOf(JobAlreadyExistsError);
    expect(refused[0]).toMatchObject({ submissionId: taken.submissionId });
    expect(refused[1]).toMatchObject({ submissionId: 'twice' });
    expect(refused[1]).toBeInstanceOf(JobAlreadyExistsError);
    expect((await store.get(taken.submissionId))?.requestDigest).toBe('first');
    expect((await store.get('twice'))?.requestDigest).toBe('one');
    for (const job of jobs) expect(await store.get(job.submissionId)).toBeDefined();
  });

  it('refuses alone a write the database rejects, the rest of its group committed', async () => {
    const { store } = await open();
    const running = await store.insert(newJob());
    const jobs = Array.from({ length: 10 }, () => newJob());
    const results = await Promise.allSettled([
      ...jobs.map((job) => store.insert(job)),
      // PostgreSQL's text cannot hold a NUL character.
      store.insert(newJob({ submissionId: 'nul', entrypoint: 'echo \u0000' })),
      store.setPendingMessage(running.submissionId, 'Waiting for \u0000.'),
      store.setPendingMessage(running.submissionId, 'Waiting for a CPU.'),
    ]);
    expect(results.map((result) => result.status)).toEqual([
      ...jobs.map(() => 'fulfilled'),
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    for (const job of jobs) expect(await store.get(job.submissionId)).toBeDefined();
    expect(await store.get('nul')).toBeUndefined();
    expect((await store.get(running.submissionId))?.message).toBe('Waiting for a CPU.');
  });

  it('refuses every write of a group whose connection is lost, and keeps none of them', async () => {
    const { store, admin } = await open();
    const running = await store.insert(newJob());
    // Holding the change log's counter makes the group wait inside its transaction, where its
    // connection is then ended from the database's side.
    await holdChangeLog(admin);
    const jobs = Array.from({ length: 20 }, () => newJob());
    const writes = Promise.allSettled([
      ...jobs.map((job) => store.insert(job)),
      store.setPendingMessage(running.submissionId, 'Waiting for a CPU.'),
    ]);
    await endWaitingWrite(admin, 'the group to wait for the counter');
    const results = await writes;
    for (const result of results) {
      expect(result.status).toBe('rejected');
      if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(StoreUnavailableError);
    }
    for (const job of jobs) expect(await store.get(job.submissionId)).toBeUndefined();
    expect((await store.get(running.submissionId))?.message).toBe(running.message);
    // The store writes again on a new connection.
    const after = await store.insert(newJob());
    expect(await store.get(after.submissionId)).toBeDefined();
  });
});
