import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { toJobDetails } from '../../jobs/toJobDetails.js';
import { makeDataDir } from '../../testing/testServer.js';
import { unpagedJson } from '../unpagedJson.js';
import { migrate } from './sqliteSchema.js';
import { SqliteJobStore } from './sqliteJobStore.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the SQLite schema', () => {
  it('turns the pid-shaped driver columns of a version 5 store into a driver reference', async () => {
    const dir = makeDataDir();
    dirs.push(dir);
    const file = join(dir, 'jobs.sqlite');
    const db = new Database(file);
    migrate(db, 5);
    const insert = db.prepare(
      `INSERT INTO jobs (submission_id, entrypoint, status, message, start_time, metadata,
         runtime_env, resources, node_id, driver_node_ip, driver_pid, driver_started_at)
       VALUES (?, 'true', ?, 'm', 1, '{}', '{}', '{}', 'node-a', ?, ?, ?)`,
    );
    insert.run('running', 'RUNNING', '10.0.0.5', 4242, '987');
    insert.run('waiting', 'PENDING', '', null, null);
    db.close();

    const store = new SqliteJobStore(file);
    try {
      const running = await store.get('running');
      const waiting = await store.get('waiting');
      if (running === undefined || waiting === undefined) throw new Error('a job went missing');
      expect(running.driver).toEqual({
        ref: '4242:987',
        id: 'running',
        pid: '4242',
        nodeIp: '10.0.0.5',
        nodeId: '',
      });
      expect(toJobDetails(running).driver_info).toEqual({
        id: 'running',
        node_ip_address: '10.0.0.5',
        pid: '4242',
      });
      expect(toJobDetails(running).driver_node_id).toBe('node-a');
      expect(waiting.driver).toBeNull();
      // Changes recorded before the migration read back in the new shape.
      const events = await store.queries.eventsAfter(0, 10);
      expect(
        events.map((event) => [event.job.submissionId, event.job.driver?.ref ?? null]),
      ).toEqual([
        ['running', '4242:987'],
        ['waiting', null],
      ]);
      // The unpaged list's JSON, built in SQL, agrees with toJobDetails.
      const items = await unpagedJson(store.queries, {}, 'newest');
      expect(items.map((item) => JSON.parse(item) as unknown)).toEqual([
        toJobDetails(waiting),
        toJobDetails(running),
      ]);
    } finally {
      await store.close();
    }
  });

  it('counts the jobs of a version 6 store by status when upgrading it', async () => {
    const dir = makeDataDir();
    dirs.push(dir);
    const file = join(dir, 'jobs.sqlite');
    const db = new Database(file);
    migrate(db, 6);
    const insert = db.prepare(
      `INSERT INTO jobs (submission_id, entrypoint, status, message, start_time, metadata,
         runtime_env, resources, node_id)
       VALUES (?, 'true', ?, 'm', 1, '{}', '{}', '{}', 'node-a')`,
    );
    const statuses = ['PENDING', 'RUNNING', 'FAILED', 'RUNNING', 'STOPPED', 'RUNNING'];
    for (const [n, status] of statuses.entries()) insert.run(`old-${n}`, status);
    db.close();

    const store = new SqliteJobStore(file);
    try {
      expect(await store.countByStatus()).toEqual({
        PENDING: 1,
        RUNNING: 3,
        SUCCEEDED: 0,
        FAILED: 1,
        STOPPED: 1,
      });
      expect(await store.deleteFinished('old-2')).toBe(true);
      expect(await store.countByStatus()).toMatchObject({ FAILED: 0 });
    } finally {
      await store.close();
    }
  });

  it("gives the metadata of a version 7 store its jobs' statuses when upgrading it", async () => {
    const dir = makeDataDir();
    dirs.push(dir);
    const file = join(dir, 'jobs.sqlite');
    const db = new Database(file);
    migrate(db, 7);
    const insert = db.prepare(
      `INSERT INTO jobs (submission_id, entrypoint, status, message, start_time, metadata,
         runtime_env, resources, node_id)
       VALUES (?, 'true', ?, 'm', 1, ?, '{}', '{}', 'node-a')`,
    );
    insert.run('old-0', 'RUNNING', '{"team":"ml"}');
    insert.run('old-1', 'FAILED', '{"team":"ml","x":"y"}');
    insert.run('old-2', 'FAILED', '{"team":"web"}');
    db.close();

    const store = new SqliteJobStore(file);
    try {
      const ml = await store.queries.countByStatus({ metadata: { team: 'ml' } }, 100);
      expect(ml).toEqual({
        byStatus: { PENDING: 0, RUNNING: 1, SUCCEEDED: 0, FAILED: 1, STOPPED: 0 },
        capped: false,
      });
      await store.finish('old-0', {
        status: 'SUCCEEDED',
        message: 'Done.',
        exitCode: 0,
        errorType: '',
        endTime: 2,
      });
      const after = await store.queries.countByStatus({ metadata: { x: 'y' } }, 100);
      expect(after.byStatus).toMatchObject({ FAILED: 1, SUCCEEDED: 0 });
      const done = await store.queries.countByStatus(
        { metadata: { team: 'ml' }, statuses: ['SUCCEEDED'] },
        100,
      );
      expect(done.byStatus).toMatchObject({ SUCCEEDED: 1, RUNNING: 0, FAILED: 0 });
    } finally {
      await store.close();
    }
  });
});
