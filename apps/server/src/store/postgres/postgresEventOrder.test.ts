import { afterEach, describe, expect, it } from 'vitest';
import { followJobEvents } from '../../jobs/followJobEvents.js';
import { createTestDatabase } from '../../testing/testDatabase.js';
import { waitFor } from '../../testing/waitFor.js';
import { driver, newJob, succeeded } from '../describeJobStore.js';
import { PostgresJobStore } from './postgresJobStore.js';

const REPLICAS = 3;
const JOBS_PER_REPLICA = 60;
/** Each job is created, started and finished: three changes. */
const CHANGES = REPLICAS * JOBS_PER_REPLICA * 3;

const stores: PostgresJobStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

describe('the PostgreSQL change log under concurrent writers on several replicas', () => {
  it('gives every follower on every replica each change once, in id order', async () => {
    const url = await createTestDatabase('event_order');
    for (let i = 0; i < REPLICAS; i++) {
      stores.push(
        await PostgresJobStore.open({
          url,
          poolSize: 8,
          // Replicas share the database; only a local-executor server holds it alone.
          exclusive: false,
          onConnectionError: (error) => {
            throw error;
          },
        }),
      );
    }
    const controller = new AbortController();
    const seen = stores.map(() => [] as number[]);
    const followers = stores.map(async (store, index) => {
      for await (const item of followJobEvents(store.queries, 0, controller.signal, 60_000)) {
        expect(item.kind).toBe('event');
        if (item.kind === 'event') seen[index]?.push(item.event.id);
      }
    });
    // Every replica writes with all of its connections at once, so transactions interleave.
    await Promise.all(
      stores.map((store) =>
        Promise.all(
          Array.from({ length: JOBS_PER_REPLICA }, async () => {
            const { submissionId } = await store.insert(newJob());
            await store.markRunning(submissionId, driver, 'Running.');
            await store.finish(submissionId, succeeded(Date.now()));
          }),
        ),
      ),
    );
    await waitFor('every follower to reach the last change', () =>
      seen.every((ids) => ids[ids.length - 1] === CHANGES) ? true : undefined,
    );
    controller.abort();
    await Promise.all(followers);
    // A sequence-numbered log fails here: a follower past id 11 never reads a late-committing 10.
    const expected = Array.from({ length: CHANGES }, (_, index) => index + 1);
    for (const ids of seen) expect(ids).toEqual(expected);
    expect((await stores[0]?.queries.version())?.lastEventId).toBe(CHANGES);
  });
});
