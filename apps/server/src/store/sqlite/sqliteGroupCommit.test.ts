import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteGroupCommit } from './sqliteGroupCommit.js';
import { SqliteWalSync } from './sqliteWalSync.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function openDb() {
  const dir = mkdtempSync(join(tmpdir(), 'jobs-group-'));
  dirs.push(dir);
  const db = new Database(join(dir, 'jobs.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)');
  return { db, dir };
}

/** A `durable` the test settles by hand, counting how often it was asked. */
function heldDurable() {
  const calls: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  return {
    calls,
    durable: () => new Promise<void>((resolve, reject) => calls.push({ resolve, reject })),
  };
}

describe('group commit', () => {
  it('answers writes only once their commit is durable, and one sync serves the whole group', async () => {
    const { db } = openDb();
    const held = heldDurable();
    const commits = new SqliteGroupCommit(db, held.durable);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    let answered = 0;
    const writes = ['a', 'b', 'c'].map((v) =>
      commits.write(() => insert.run(v).changes).then(() => answered++),
    );
    await new Promise((resolve) => setImmediate(resolve));
    // Committed (another connection would read it) but not yet answered.
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 3 });
    expect(held.calls).toHaveLength(1);
    expect(answered).toBe(0);
    held.calls[0]?.resolve();
    await Promise.all(writes);
    expect(answered).toBe(3);
    db.close();
  });

  it('refuses every write of a group whose sync failed, and one taken value alone', async () => {
    const { db } = openDb();
    const held = heldDurable();
    const commits = new SqliteGroupCommit(db, held.durable);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    db.prepare('INSERT INTO t (v) VALUES (?)').run('taken');
    const first = commits.write(() => insert.run('x').changes);
    const duplicate = commits.write(() => insert.run('taken').changes);
    await new Promise((resolve) => setImmediate(resolve));
    held.calls[0]?.resolve();
    await expect(first).resolves.toBe(1);
    await expect(duplicate).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });

    const lost = commits.write(() => insert.run('y').changes);
    await new Promise((resolve) => setImmediate(resolve));
    held.calls[1]?.reject(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    await expect(lost).rejects.toMatchObject({ code: 'EIO' });
    db.close();
  });
});

describe('WAL sync', () => {
  it('syncs the WAL for every caller, including callers while a sync runs, and closes', async () => {
    const { db, dir } = openDb();
    db.prepare('INSERT INTO t (v) VALUES (?)').run('committed');
    const sync = new SqliteWalSync(join(dir, 'jobs.sqlite-wal'));
    const results = await Promise.all([sync.sync(), sync.sync(), sync.sync()]);
    expect(results).toEqual([undefined, undefined, undefined]);
    await sync.close();
    db.close();
  });

  it('reports a WAL it cannot sync', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobs-group-'));
    dirs.push(dir);
    const sync = new SqliteWalSync(join(dir, 'missing-wal'));
    await expect(sync.sync()).rejects.toMatchObject({ code: 'ENOENT' });
    writeFileSync(join(dir, 'missing-wal'), '');
    await expect(sync.sync()).resolves.toBeUndefined();
    await sync.close();
  });
});
