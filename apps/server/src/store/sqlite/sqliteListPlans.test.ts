import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { jobListOrders } from '@jobs/contract';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDataDir } from '../../testing/testServer.js';
import type { JobFilter, ListPosition } from '../jobQueries.js';
import { listSegments } from '../listSegments.js';
import { SqliteJobStore } from './sqliteJobStore.js';
import { sqliteSegmentQuery } from './sqliteListPage.js';

const JOBS = 100_000;

let dir: string;
let db: Database.Database;
beforeAll(async () => {
  dir = makeDataDir();
  const file = join(dir, 'jobs.sqlite');
  await new SqliteJobStore(file).close();
  db = new Database(file);
  // One job in 50 still running; the others ended after durations of up to an hour.
  db.prepare(
    `WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < ?)
     INSERT INTO jobs (submission_id, entrypoint, status, message, start_time, end_time,
                       metadata, runtime_env, resources, node_id)
     SELECT 'job-' || n, 'true',
            CASE WHEN n % 50 = 0 THEN 'RUNNING' WHEN n % 10 = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END,
            '', 1700000000000 + n * 1000,
            CASE WHEN n % 50 = 0 THEN NULL ELSE 1700000000000 + n * 1000 + n * 7919 % 3600000 END,
            '{}', '{}', '{}', 'n'
     FROM i`,
  ).run(JOBS);
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The first page, and pages after a job that ended and after one that has not. */
const positions: (ListPosition | undefined)[] = [
  undefined,
  { seq: 50_001, duration: 1_000 },
  { seq: 50_000, duration: null },
];
const filters: [string, JobFilter][] = [
  ['all jobs', {}],
  ['status=FAILED', { statuses: ['FAILED'] }],
  ['status=RUNNING', { statuses: ['RUNNING'] }],
  ['status=FAILED,RUNNING', { statuses: ['FAILED', 'RUNNING'] }],
];

describe(`SQLite list plans at ${JOBS.toLocaleString('en')} jobs`, () => {
  it.each(jobListOrders.flatMap((order) => filters.map(([name, filter]) => [order, name, filter])))(
    'reads a page of %s over %s in index order, sorting no more than a page per status',
    (order, _name, filter) => {
      for (const after of positions) {
        const position =
          after === undefined || order === 'longest' || order === 'shortest'
            ? after
            : { seq: after.seq, duration: null };
        for (const segment of listSegments(order as (typeof jobListOrders)[number], position)) {
          const { sql, params } = sqliteSegmentQuery(
            filter as JobFilter,
            segment,
            'submission_id',
            101,
          );
          const plan = (
            db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]
          )
            .map((row) => row.detail)
            .join('; ');
          // Several statuses: each walked in order, a page at most, whose rows (and only those)
          // are sorted for the merge.
          const statuses = (filter as JobFilter).statuses?.length ?? 0;
          expect(plan.match(/TEMP B-TREE/g) ?? []).toHaveLength(statuses > 1 ? statuses : 0);
          const statusLed = (filter as JobFilter).statuses !== undefined;
          const index =
            segment.ended === true
              ? statusLed
                ? 'jobs_status_duration'
                : 'jobs_duration'
              : segment.ended === false
                ? statusLed
                  ? 'jobs_status_not_ended'
                  : 'jobs_not_ended'
                : statusLed
                  ? 'jobs_status_seq'
                  : undefined;
          if (index !== undefined) expect(plan).toContain(`USING INDEX ${index}`);
          // After a position, the walk starts there rather than filtering every row before it.
          if (segment.after !== undefined) expect(plan).toMatch(/SEARCH .*[<>]\?\)/);
        }
      }
    },
  );
});
