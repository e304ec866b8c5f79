import pg from 'pg';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../testing/testDatabase.js';
import { waitFor } from '../testing/waitFor.js';
import { PostgresLeadership } from './postgresLeadership.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A competitor whose task counts how many competitors run it at once. */
function competitor(url: string, name: string, running: Set<string>, overlaps: string[]) {
  const leadership = new PostgresLeadership({
    connection: { connectionString: url, application_name: `leader-test-${name}` },
    intervalMs: 50,
    logger: pino({ level: 'silent' }),
  });
  leadership.start(async (leading) => {
    if (leading) {
      if (running.size > 0) overlaps.push(`${name} started while ${[...running].join()} ran`);
      running.add(name);
    } else {
      // Stopping takes a while: nobody else may start meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 100));
      running.delete(name);
    }
  });
  closers.push(() => leadership.close());
  return leadership;
}

describe('leadership over PostgreSQL', () => {
  it('has one leader at a time, and another once the leader goes or its session dies', async () => {
    const url = await createTestDatabase('leadership');
    const running = new Set<string>();
    const overlaps: string[] = [];
    const all = ['a', 'b', 'c'].map((name) => competitor(url, name, running, overlaps));
    const leaders = () => all.filter((leadership) => leadership.isLeader);
    const first = await waitFor('a leader', () =>
      leaders().length === 1 ? leaders()[0] : undefined,
    );

    await first.close();
    expect(first.isLeader).toBe(false);
    const second = await waitFor('a new leader', () => {
      const now = leaders();
      return now.length === 1 && now[0] !== first ? now[0] : undefined;
    });
    // A leader that closes stops its tasks before it lets go of the lock.
    expect(overlaps).toEqual([]);

    // The leader's session ends as if its process had been killed: its lock goes with it.
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    closers.push(() => admin.end());
    const index = all.indexOf(second);
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
      [`leader-test-${'abc'[index]}`],
    );
    await waitFor('the killed session to stand down', () => (second.isLeader ? undefined : true));
    await waitFor('one leader again', () => (leaders().length === 1 ? true : undefined));
    await waitFor('only the new leader to run the task', () =>
      running.size === 1 ? true : undefined,
    );
  });
});
