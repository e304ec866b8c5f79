// EXPLAIN ANALYZE of the PostgreSQL store's count queries, before (a count over the filter; for
// a metadata filter, also the jsonb-led walk of candidates the metadata index replaced) and
// after (maintained counts; a capped walk of candidates), at N jobs generated in SQL.
// Usage (after `pnpm build`): node bench/postgresCountPlans.mjs <database URL> [N] [--seed]
// --seed makes a new database on that server holding N generated jobs (default 1,000,000) at
// the previous schema version, then times the migration to the current one, as a server
// starting on an existing store runs it. The plans go to stdout, e.g. into bench/results/.
import { readFileSync } from 'node:fs';
import { freshDatabase, pg } from './benchDatabase.mjs';

/** The schema a seeded database starts at: before the metadata table; migrated to the latest. */
const PREVIOUS_SCHEMA = 2;
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const { migrate } = await import('../apps/server/dist/store/postgres/postgresSchema.js');
const { postgresJobCandidates, postgresJobFilter } =
  await import('../apps/server/dist/store/postgres/postgresJobFilter.js');
const [serverUrl, size] = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const seed = process.argv.includes('--seed');
const n = Number(size ?? 1_000_000);
const url = seed ? (await freshDatabase(serverUrl)).url : serverUrl;
// Kept after a seed, so that later runs can read its plans again without seeding.
console.log(`# PostgreSQL count plans at ${n.toLocaleString('en')} jobs`);
const c = new pg.Client({ connectionString: url });
await c.connect();
if (seed) {
  console.log(`\n${url}; load average ${loadAverage()} before seeding.`);
  const seedStart = performance.now();
  await migrate(c, PREVIOUS_SCHEMA);
  // The jobs go in without the change-log and count triggers; the counts are then backfilled
  // as their migration does.
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
  const seconds = (performance.now() - seedStart) / 1000;
  const migrateStart = performance.now();
  await migrate(c);
  const migrated = (performance.now() - migrateStart) / 1000;
  // What autovacuum does soon after: marks the new index's pages all-visible for index-only scans.
  await c.query('VACUUM ANALYZE');
  console.log(
    `\nSeeded at schema ${PREVIOUS_SCHEMA} in ${seconds.toFixed(1)} s; the migration to the current schema (the metadata index, backfilled) took ${migrated.toFixed(1)} s; load average ${loadAverage()} after.`,
  );
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
  ['metadata.team=ml&q=experiment-12.', { metadata: { team: 'ml' }, text: 'experiment-12.' }],
]) {
  const before = postgresJobFilter(filter);
  await explain(
    `before: summary ${what}`,
    `SELECT status, count(*) AS count FROM jobs WHERE ${before.where} GROUP BY status`,
    before.params,
  );
  if (filter.metadata !== undefined) {
    // The walk of candidates before the metadata index: jsonb containment, newest first.
    const lead = postgresJobFilter({ metadata: filter.metadata }, before.params.length);
    await explain(
      `before the metadata index: summary ${what}`,
      `SELECT CASE WHEN ${before.where} THEN status END AS status, count(*) AS count FROM (
         SELECT seq, status, metadata, start_time, submission_id, entrypoint FROM jobs
         WHERE ${lead.where} ORDER BY seq DESC LIMIT $${before.params.length + lead.params.length + 1}
       ) AS jobs GROUP BY 1`,
      [...before.params, ...lead.params, 10000],
    );
  }
  const { where, candidates, params } = postgresJobCandidates(filter, 10000);
  await explain(
    `after: summary ${what}`,
    `SELECT CASE WHEN ${where} THEN status END AS status, count(*) AS count FROM (${candidates}) AS jobs GROUP BY 1`,
    params,
  );
}
// The search list page (limit 100) for q of common, rare and absent matches whose trigrams are
// common ('py --epochs' never occurs in that order): the trigram index leads or the newest jobs
// are walked, as the planner estimates.
for (const q of ['train', 'experiment-12.', 'experiment-999.', 'py --epochs']) {
  const { where, params } = postgresJobFilter({ text: q });
  await explain(
    `list page q=${q}`,
    `SELECT seq, submission_id FROM jobs WHERE ${where} ORDER BY seq DESC LIMIT 101`,
    params,
  );
}
await c.end();
