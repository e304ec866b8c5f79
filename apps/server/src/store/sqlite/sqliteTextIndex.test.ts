import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDataDir } from '../../testing/testServer.js';
import { waitFor } from '../../testing/waitFor.js';
import { SqliteGroupCommit } from './sqliteGroupCommit.js';
import { migrate, schemaVersion } from './sqliteSchema.js';
import { SqliteJobStore } from './sqliteJobStore.js';
import { SqliteTextIndex } from './sqliteTextIndex.js';

const HOUR_MS = 3_600_000;
const dirs: string[] = [];
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function storeFile(): string {
  const dir = makeDataDir();
  dirs.push(dir);
  return join(dir, 'jobs.sqlite');
}

/** A store file at the latest schema, open, with a way to add jobs behind any store's back. */
function openFile(file: string, version = schemaVersion) {
  const db = new Database(file);
  migrate(db, version);
  cleanups.push(() => db.close());
  const insert = db.prepare(
    `INSERT INTO jobs (submission_id, entrypoint, status, message, start_time, metadata,
       runtime_env, resources, node_id)
     VALUES (?, ?, 'PENDING', 'm', 1, '{}', '{}', '{}', 'node-a')`,
  );
  const search = db.prepare(
    'SELECT jobs.submission_id AS id FROM job_search JOIN jobs ON jobs.seq = job_search.rowid WHERE job_search MATCH ? ORDER BY jobs.seq',
  );
  return {
    db,
    add: (id: string, entrypoint = 'python train.py') => insert.run(id, entrypoint),
    remove: (id: string) => db.prepare('DELETE FROM jobs WHERE submission_id = ?').run(id),
    /** What the trigram index finds for `text`. */
    found: (text: string) => (search.all(`"${text}"`) as { id: string }[]).map((row) => row.id),
    queued: () =>
      (db.prepare('SELECT count(*) AS n FROM job_search_pending').get() as { n: number }).n,
  };
}

describe('the trigram index of the SQLite store', () => {
  it('is written after the commit of a job, in slices, and all of it before a search', async () => {
    const file = openFile(storeFile());
    let commits = 0;
    const writes = new SqliteGroupCommit(file.db, () => {
      commits++;
    });
    const index = new SqliteTextIndex(file.db, writes, HOUR_MS, 3);
    cleanups.push(() => {
      index.close();
    });
    for (const id of ['job-1', 'job-2', 'job-3', 'job-4', 'job-5']) file.add(id);
    expect(file.queued()).toBe(5);
    expect(file.found('train')).toEqual([]);

    // A job deleted while queued leaves the queue and never reaches the index.
    file.remove('job-2');
    expect(file.queued()).toBe(4);
    await index.catchUp();
    expect(file.queued()).toBe(0);
    expect(file.found('train')).toEqual(['job-1', 'job-3', 'job-4', 'job-5']);
    // Two slices of 3; with nothing queued, a search's catch-up writes nothing.
    expect(commits).toBe(2);
    await index.catchUp();
    expect(commits).toBe(2);

    // A job deleted once indexed leaves the index.
    file.remove('job-4');
    expect(file.found('train')).toEqual(['job-1', 'job-3', 'job-5']);
    expect(file.found('job-4')).toEqual([]);
  });

  it('indexes queued jobs shortly after they are queued, and those a closed store left', async () => {
    const path = storeFile();
    const file = openFile(path);
    const index = new SqliteTextIndex(file.db, new SqliteGroupCommit(file.db), 10, 3);
    for (let i = 1; i <= 7; i++) file.add(`job-${i}`);
    index.jobQueued();
    await waitFor('the queued jobs to be indexed', () => (file.queued() === 0 ? true : undefined));
    expect(file.found('job-')).toHaveLength(7);
    index.close();

    // Queued while no index ran (a server stopped before indexing them): the next one does.
    file.add('job-8', 'echo later');
    const next = new SqliteTextIndex(file.db, new SqliteGroupCommit(file.db), 10, 3);
    cleanups.push(() => {
      next.close();
    });
    await waitFor('the left jobs to be indexed', () => (file.queued() === 0 ? true : undefined));
    expect(file.found('later')).toEqual(['job-8']);
  });

  it('keeps the jobs of a store upgraded from the previous schema searchable', async () => {
    const path = storeFile();
    const before = openFile(path, schemaVersion - 1);
    before.add('old-1', 'python old.py');
    before.add('old-2', 'python old.py');
    expect(before.found('old.py')).toEqual(['old-1', 'old-2']);
    before.db.close();

    const store = new SqliteJobStore(path);
    try {
      const search = async (text: string) =>
        (await store.queries.listPage({ text }, { limit: 10, order: 'newest' })).jobs.map(
          (job) => job.submissionId,
        );
      expect(await search('old.py')).toEqual(['old-2', 'old-1']);
      await store.insert({
        submissionId: 'new-1',
        entrypoint: 'python new.py',
        message: 'm',
        startTime: 2,
        metadata: {},
        runtimeEnv: {},
        resources: {},
        nodeId: 'node-a',
        requestDigest: 'd',
      });
      // Found at once, though its turn in the index has not come.
      expect(await search('new.py')).toEqual(['new-1']);
      expect(await search('python')).toEqual(['new-1', 'old-2', 'old-1']);
    } finally {
      await store.close();
    }
  });
});
