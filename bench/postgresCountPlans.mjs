// EXPLAIN ANALYZE of the PostgreSQL store's count queries, before (a count over the filter) and
// after (maintained counts; a capped walk of candidates), at N jobs generated in SQL.
// Usage (after `pnpm build`): node bench/postgresCountPlans.mjs <database URL> [N] [--seed]
// --seed replaces the database's tables with N generated jobs (default 1,000,000); the plans
// go to stdout, e.g. into bench/results/.
import { freshDatabase, pg } from './benchDatabase.mjs';

const { PostgresJobStore } = await import('../apps/server/dist/store/postgres/postgresJobStore.js');
const { postgresJobCandidates, postgresJobFilter } =
  await import('../apps/server/dist/store/postgres/postgresJobFilter.js');
const [serverUrl, size] = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const seed = process.argv.includes('--seed');
const n = Number(size ?? 1_000_000);
const url = seed ? (await freshDatabase(serverUrl)).url : serverUrl;
// Kept after a seed, so that later runs can read its plans again without seeding.
console.log(`# PostgreSQL count plans at ${n.toLocaleString('en')} jobs`);
const store = await PostgresJobStore.open({
  url,
  poolSize: 1,
  exclusive: false,
  onConnectionError: (e) => {
    throw e;
  },
});
await store.close();
const c = new pg.Client({ connectionString: url });
await c.connect();
if (seed) {
  console.time('seed');
  // The jobs go in without the change-log and count triggers; the counts are then backfilled
  // as the migration does.
  await c.query('ALTER TABLE jobs DISABLE TRIGGER USER');
  await c.query(
    `INSERT INTO jobs (submission_id, entrypoint, status, message, start_time, end_time, metadata, runtime_env, resources, node_id, driver_ref, driver_id, driver_pid)
    SELECT 'app-' || md5(i::text), 'python train.py --config configs/experiment-' || (i % 977) || '.yaml --epochs ' || (10 + i % 40),
      (ARRAY['SUCCEEDED','SUCCEEDED','SUCCEEDED','SUCCEEDED','SUCCEEDED','SUCCEEDED','SUCCEEDED','FAILED','FAILED','STOPPED'])[i % 10 + 1],
      'Job finished.', 1700000000000 + i * 1000, 1700000060000 + i * 1000,
      json_build_object('team', (ARRAY['ml','data','vision','speech','infra'])[i % 5 + 1], 'owner', 'user' || (i % 211)),
      '{}', '{}', 'node', i || ':', 'd', '1'
    FROM generate_series(1, $1) AS i`,
    [n],
  );
  await c.query('ALTER TABLE jobs ENABLE TRIGGER USER');
  await c.query(
    `UPDATE job_counts SET count = (SELECT count(*) FROM jobs WHERE jobs.status = job_counts.status)`,
  );
  await c.query('VACUUM ANALYZE');
  console.timeEnd('seed');
}
const explain = async (what, sql, params = []) => {
  const { rows } = await c.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
  console.log(`\n### ${what}\n\`\`\`\n${rows.map((r) => r['QUERY PLAN']).join('\n')}\n\`\`\``);
};
await explain(
  'before: unfiltered count',
  'SELECT status, count(*) AS count FROM jobs GROUP BY status',
);
await explain(
  'after: unfiltered and status-only summary, metrics',
  'SELECT status, count FROM job_counts',
);
for (const [what, filter] of [
  ['metadata.team=ml', { metadata: { team: 'ml' } }],
  ['q=experiment-12.', { text: 'experiment-12.' }],
  ['metadata.team=ml&status=FAILED', { metadata: { team: 'ml' }, statuses: ['FAILED'] }],
]) {
  const before = postgresJobFilter(filter);
  await explain(
    `before: summary ${what}`,
    `SELECT status, count(*) AS count FROM jobs WHERE ${before.where} GROUP BY status`,
    before.params,
  );
  const { where, candidates, params } = postgresJobCandidates(filter, 10000);
  await explain(
    `after: summary ${what}`,
    `SELECT CASE WHEN ${where} THEN status END AS status, count(*) AS count FROM (${candidates}) AS jobs GROUP BY 1`,
    params,
  );
}
await c.end();
