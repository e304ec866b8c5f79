import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { type JobListOrder, jobListOrders } from '@jobs/contract';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDataDir } from '../../testing/testServer.js';
import { toJobDetails } from '../../jobs/toJobDetails.js';
import { driver, newJob } from '../describeJobStore.js';
import type { JobFilter, ListPosition } from '../jobQueries.js';
import { SqliteJobStore } from './sqliteJobStore.js';
import { readSqliteJsonList } from './sqliteUnpagedList.js';

/** Jobs a read in these tests: lists of a few dozen jobs then take many reads. */
const READ_SIZE = 7;
const JOBS = 60;

/** Text that JSON escapes: quotes, backslashes, control characters, and beyond ASCII. */
const awkward = 'a "quoted" \\ back\tslash\nline \u0001\u001f\u007f é 中文 😀 \u2028';

let dir: string;
let store: SqliteJobStore;
let db: Database.Database;

beforeAll(async () => {
  dir = makeDataDir();
  store = new SqliteJobStore(join(dir, 'jobs.sqlite'));
  for (let i = 0; i < JOBS; i++) {
    const { submissionId } = await store.insert(
      newJob({
        submissionId: `list-${String(i)}`,
        entrypoint: i % 5 === 0 ? `echo '${awkward}'` : 'true',
        startTime: 1_700_000_000_000 + i * 1_000,
        metadata: { team: i % 3 === 0 ? 'ml' : 'data', [awkward]: awkward },
      }),
    );
    // Every fourth job has not ended: the duration orders list them after the ended ones.
    if (i % 4 === 0) continue;
    await store.markRunning(submissionId, driver, 'Running.');
    await store.finish(submissionId, {
      status: i % 4 === 1 ? 'SUCCEEDED' : i % 4 === 2 ? 'FAILED' : 'STOPPED',
      message: `Ended: ${awkward}`,
      exitCode: i % 4 === 1 ? 0 : 3,
      errorType: '',
      // Durations that repeat, so that ties fall across reads.
      endTime: 1_700_000_000_000 + i * 1_000 + (i % 3) * 10,
    });
  }
  db = new Database(join(dir, 'jobs.sqlite'), { readonly: true });
});
afterAll(async () => {
  db.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The list read through pages of 5, each job serialised as the paged answers serialise it. */
async function pagedText(
  filter: JobFilter,
  order: JobListOrder,
  after?: ListPosition,
): Promise<string[]> {
  const items: string[] = [];
  let position = after;
  do {
    const page = await store.queries.listPage(filter, { order, after: position, limit: 5 });
    items.push(...page.jobs.map((job) => JSON.stringify(toJobDetails(job))));
    position = page.next;
  } while (position !== undefined);
  return items;
}

async function unpaged(
  filter: JobFilter,
  order: JobListOrder,
  after?: ListPosition,
): Promise<string[]> {
  const chunks: string[] = [];
  for await (const chunk of readSqliteJsonList(
    (sql) => db.prepare(sql),
    filter,
    order,
    after,
    READ_SIZE,
  )) {
    chunks.push(chunk);
  }
  return chunks;
}

describe('the unpaged list on SQLite', () => {
  const filters: [string, JobFilter][] = [
    ['no filter', {}],
    ['one status', { statuses: ['FAILED'] }],
    ['several statuses', { statuses: ['PENDING', 'STOPPED'] }],
    ['metadata', { metadata: { team: 'ml' } }],
    // 14 jobs: the last read is full and the one after it finds nothing.
    ['exactly two reads', { submittedBefore: 1_700_000_000_000 + 14 * 1_000 }],
    ['nothing', { text: 'no such job' }],
  ];
  const cases = jobListOrders.flatMap((order) =>
    filters.map(([name, filter]) => [order, name, filter] as const),
  );

  it.each(cases)('reads %s with %s as the pages do, byte for byte', async (order, _, filter) => {
    const expected = await pagedText(filter, order);
    const chunks = await unpaged(filter, order);
    expect(chunks.join('')).toBe(expected.join(','));
    for (const [i, chunk] of chunks.entries()) {
      // Each read after the first starts with the comma before its first job.
      expect(chunk.startsWith(',')).toBe(i > 0);
      const jobs = JSON.parse(`[${chunk.replace(/^,/, '')}]`) as unknown[];
      expect(jobs.length).toBeGreaterThan(0);
      expect(jobs.length).toBeLessThanOrEqual(READ_SIZE);
    }
  });

  it.each(jobListOrders)('starts %s after a position as the pages do', async (order) => {
    const first = await store.queries.listPage({}, { order, limit: 31 });
    expect(first.next).toBeDefined();
    const rest = await unpaged({}, order, first.next);
    expect(rest.join('')).toBe((await pagedText({}, order, first.next)).join(','));
    expect(JSON.parse(`[${rest.join('')}]`)).toHaveLength(JOBS - 31);
  });
});
