import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteJobStore } from '../store/sqlite/sqliteJobStore.js';
import { seedJobs } from '../testing/seedJobs.js';
import { makeDataDir } from '../testing/testServer.js';
import { type JobEventsItem, followJobEvents } from './followJobEvents.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A store file whose change log holds `count` changes, ids 1 to `count`. */
async function storeWithChanges(count: number): Promise<SqliteJobStore> {
  const dir = makeDataDir();
  dirs.push(dir);
  await seedJobs(
    dir,
    Array.from({ length: count }, (_, i) => ({
      submissionId: `seeded-${String(i)}`,
      entrypoint: 'true',
      status: 'SUCCEEDED' as const,
      startTime: 1_000 + i,
    })),
  );
  return new SqliteJobStore(join(dir, 'jobs.sqlite'));
}

const describeItem = (item: JobEventsItem | undefined) =>
  item?.kind === 'event'
    ? `event ${String(item.event.id)}`
    : item?.kind === 'reset'
      ? `reset ${String(item.latest)}`
      : String(item?.kind);

describe('following the change log', () => {
  it('resets a reader that fell behind the pruning between two batches, then goes on', async () => {
    const store = await storeWithChanges(600);
    const abort = new AbortController();
    try {
      const items = followJobEvents(store.queries, 0, abort.signal, 60_000);
      // The first batch (changes 1 to 500) is read; the reader takes one of them and stalls.
      expect(describeItem((await items.next()).value)).toBe('event 1');
      expect(await store.queries.pruneEvents(50)).toBe(550);
      const seen: string[] = [];
      for (let i = 0; i < 500; i++) seen.push(describeItem((await items.next()).value));
      // What was read before the pruning arrives; then, instead of skipping 501 to 550 silently,
      // a reset, after which the stream goes on from the latest change.
      expect(seen.slice(0, 499)).toEqual(
        Array.from({ length: 499 }, (_, i) => `event ${String(i + 2)}`),
      );
      expect(seen[499]).toBe('reset 600');
    } finally {
      abort.abort();
      await store.close();
    }
  });

  it('resets at once a reader whose last change was pruned, and not one right before the oldest', async () => {
    const store = await storeWithChanges(30);
    const abort = new AbortController();
    try {
      await store.queries.pruneEvents(10);
      expect(await store.queries.eventBounds()).toEqual({ oldest: 21, latest: 30 });
      const behind = followJobEvents(store.queries, 19, abort.signal, 60_000);
      expect(describeItem((await behind.next()).value)).toBe('reset 30');
      const intact = followJobEvents(store.queries, 20, abort.signal, 60_000);
      expect(describeItem((await intact.next()).value)).toBe('event 21');
      const foreign = followJobEvents(store.queries, 31, abort.signal, 60_000);
      expect(describeItem((await foreign.next()).value)).toBe('reset 30');
    } finally {
      abort.abort();
      await store.close();
    }
  });
});
