import { type JobListOrder, jobListOrders } from '@jobs/contract';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../testing/testDatabase.js';
import type { JobFilter, ListPosition } from '../jobQueries.js';
import { listSegments } from '../listSegments.js';
import { postgresSegmentQuery } from './postgresListPage.js';
import { migrate } from './postgresSchema.js';

const JOBS = 100_000;
const LIMIT = 101;

let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: await createTestDatabase('list_plans') });
  await client.connect();
  await migrate(client);
  // One job in 50 still running; the others ended after durations of up to an hour. Written
  // without the change-log and count triggers, which the list does not read.
  await client.query('ALTER TABLE jobs DISABLE TRIGGER USER');
  await client.query(
    `INSERT INTO jobs (submission_id, entrypoint, status, message, start_time, end_time,
                       metadata, runtime_env, resources, node_id)
     SELECT 'job-' || n, 'true',
            CASE WHEN n % 50 = 0 THEN 'RUNNING' WHEN n % 10 = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END,
            '', 1700000000000 + n * 1000,
            CASE WHEN n % 50 = 0 THEN NULL ELSE 1700000000000 + n * 1000 + n * 7919 % 3600000 END,
            '{}', '{}', '{}', 'n'
     FROM generate_series(1, $1::int) AS n`,
    [JOBS],
  );
  await client.query('ANALYZE jobs');
});
afterAll(async () => {
  await client.end();
});

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Actual Rows': number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

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
];
const cases = jobListOrders.flatMap((order) =>
  filters.map(([name, filter]): [JobListOrder, string, JobFilter] => [order, name, filter]),
);

describe(`PostgreSQL list plans at ${JOBS.toLocaleString('en')} jobs`, () => {
  it.each(cases)(
    'reads about a page of %s over %s from an index, sorting no more than a page per status',
    async (order, _name, filter) => {
      for (const after of positions) {
        const byDuration = order === 'longest' || order === 'shortest';
        const position =
          after === undefined || byDuration ? after : { seq: after.seq, duration: null };
        for (const segment of listSegments(order, position)) {
          const { sql, params } = postgresSegmentQuery(filter, segment, 'submission_id', LIMIT);
          const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
            `EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`,
            params,
          );
          const plan = nodes(rows[0]?.['QUERY PLAN'][0].Plan as PlanNode);
          const what = `${order} ${JSON.stringify(filter)} after ${JSON.stringify(after)}`;
          // Several statuses: each walked in order, a page at most, then those rows merged or
          // sorted once.
          const statuses = filter.statuses?.length ?? 0;
          const sorts = plan.filter((node) => node['Node Type'] === 'Sort');
          expect(sorts.length, what).toBeLessThanOrEqual(statuses > 1 ? 1 : 0);
          expect(
            plan.map((node) => node['Node Type']),
            what,
          ).not.toContain('Seq Scan');
          // The index walk starts at the position and stops at the page. The ended jobs by
          // duration: a page exactly. The jobs not ended are few (queued and running ones): the
          // planner may read all of them. By position under a status, it may walk the primary
          // key and skip the jobs of other statuses: a page spread over its status's share.
          const share = filter.statuses?.includes('FAILED') ? 0.08 : filter.statuses ? 0.02 : 1;
          const most =
            segment.ended === true
              ? LIMIT
              : segment.ended === false
                ? JOBS / 50
                : Math.ceil((LIMIT / share) * 1.1);
          for (const node of plan.filter((n) => n['Index Name'] !== undefined)) {
            const read = node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0);
            expect(read, what).toBeLessThanOrEqual(most);
          }
        }
      }
    },
  );
});
