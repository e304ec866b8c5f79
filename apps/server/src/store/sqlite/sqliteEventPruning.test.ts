import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seedJobs } from '../../testing/seedJobs.js';
import { makeDataDir } from '../../testing/testServer.js';
import { waitFor } from '../../testing/waitFor.js';
import { SqliteJobStore } from './sqliteJobStore.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const CHANGES = 5_000;

/** A store file whose change log holds CHANGES changes, ids 1 to CHANGES. */
async function storeWithBacklog(): Promise<{ file: string; store: SqliteJobStore }> {
  const dir = makeDataDir();
  dirs.push(dir);
  await seedJobs(
    dir,
    Array.from({ length: CHANGES }, (_, i) => ({
      submissionId: `seeded-${String(i)}`,
      entrypoint: 'true',
      status: 'SUCCEEDED' as const,
      startTime: 1_000 + i,
    })),
  );
  const file = join(dir, 'jobs.sqlite');
  return { file, store: new SqliteJobStore(file) };
}

const newJob = (submissionId: string) => ({
  submissionId,
  entrypoint: 'true',
  message: 'Pending.',
  startTime: 2_000_000,
  metadata: {},
  runtimeEnv: {},
  resources: {},
  nodeId: 'test-node',
  requestDigest: '',
});

describe('pruning the change log of an SQLite store', () => {
  it('takes submissions while it prunes, and keeps exactly the latest changes', async () => {
    const { store } = await storeWithBacklog();
    try {
      const pruned = store.queries.pruneEvents(100);
      // Writes on the server's connection interleave with the pruning connection's slices.
      for (let i = 0; i < 20; i++) await store.insert(newJob(`during-${String(i)}`));
      const deleted = await pruned;
      const { oldest, latest } = await store.queries.eventBounds();
      expect(latest).toBe(CHANGES + 20);
      // The pass keeps the latest 100 changes of when it started; submissions came after.
      expect(deleted).toBe(CHANGES - 100);
      expect(oldest).toBe(CHANGES - 99);
      expect(await store.get('during-19')).toMatchObject({ status: 'PENDING' });
    } finally {
      await store.close();
    }
  });

  it('stops a pass when the store closes, leaving a store that opens and prunes again', async () => {
    const { file, store } = await storeWithBacklog();
    const pruned = store.queries.pruneEvents(1);
    await waitFor('the pruning to start', async () => {
      const { oldest } = await store.queries.eventBounds();
      return oldest !== undefined && oldest > 1 ? true : undefined;
    });
    await store.close();
    // However far the pass came, what it reports is what it deleted, and the rest stays.
    const deleted = await pruned;
    const reopened = new SqliteJobStore(file);
    try {
      expect(await reopened.queries.eventBounds()).toEqual({
        oldest: deleted + 1,
        latest: CHANGES,
      });
      expect(await reopened.queries.pruneEvents(1)).toBe(CHANGES - 1 - deleted);
    } finally {
      await reopened.close();
    }
  });
});
