// A server opening a PostgreSQL store of N jobs at schema 5 (before the kept list texts): how long
// the upgrade kept other clients' reads and writes waiting, against the same clients' longest
// wait in a quiet period just before, and how long the store took to open and to fill the ended
// jobs' texts. Other replicas keep serving through an upgrade, so a wait is what their users see.
// Usage (after `pnpm build`): node bench/postgresUpgrade.bench.mjs <PostgreSQL server URL> [N]
// (default 100,000 jobs). Writes its table to bench/results/.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freshDatabase, pg } from './benchDatabase.mjs';

const SCHEMA_BEFORE = 5;
const QUIET_MS = 3_000;

const { migrate } = await import('../apps/server/dist/store/postgres/postgresSchema.js');
const { PostgresJobStore } = await import('../apps/server/dist/store/postgres/postgresJobStore.js');

const [serverUrl, size] = process.argv.slice(2);
if (serverUrl === undefined) throw new Error('usage: postgresUpgrade.bench.mjs <server URL> [N]');
const n = Number(size ?? 100_000);
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const elapsed = (since) => performance.now() - since;
const md5 = (i) => createHash('md5').update(String(i)).digest('hex');

const database = await freshDatabase(serverUrl);
const admin = new pg.Client({ connectionString: database.url });
await admin.connect();
const one = async (sql, params) => (await admin.query(sql, params)).rows[0];

/**
 * N jobs at schema 5, nine in ten ended, the rest running. They go in without the triggers (a
 * change-log entry each would take minutes); the counts and the metadata rows are then written
 * as their migrations write them.
 */
async function seed() {
  await migrate(admin, SCHEMA_BEFORE);
  await admin.query('ALTER TABLE jobs DISABLE TRIGGER USER');
  await admin.query(
    `INSERT INTO jobs (submission_id, entrypoint, status, message, start_time, end_time, metadata,
       runtime_env, resources, node_id, driver_ref, driver_id, driver_pid, exit_code)
     SELECT 'raysubmit_' || md5(i::text),
       'python train.py --config configs/experiment-' || (i % 977) || '.yaml',
       CASE WHEN i % 10 = 0 THEN 'RUNNING' WHEN i % 7 = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END,
       'Job finished.', 1700000000000 + i * 1000,
       CASE WHEN i % 10 <> 0 THEN 1700000060000 + i * 1000 END,
       json_build_object('team', (ARRAY['ml','data','vision'])[i % 3 + 1], 'owner', 'user' || (i % 211)),
       '{"env_vars":{"EPOCHS":"10"}}', '{}', 'node', 'slurm:' || i, i::text, '1',
       CASE WHEN i % 10 <> 0 THEN 0 END
     FROM generate_series(1, $1) AS i`,
    [n],
  );
  await admin.query('ALTER TABLE jobs ENABLE TRIGGER USER');
  await admin.query(
    'UPDATE job_counts SET count = (SELECT count(*) FROM jobs WHERE jobs.status = job_counts.status)',
  );
  await admin.query(
    `INSERT INTO job_metadata (key, value, job_seq, job_status)
     SELECT entry.key, entry.value, jobs.seq, jobs.status
     FROM jobs, jsonb_each_text(jobs.metadata::jsonb) AS entry`,
  );
  await admin.query('VACUUM ANALYZE');
}

/** Submits of the other replica a second: a busy cluster's, few enough not to swell the table. */
const INSERTS_PER_SECOND = 100;

/**
 * Clients of another replica meanwhile: one submits (an insert) INSERTS_PER_SECOND times a
 * second, one reads a job by id in a loop, every latency recorded with when it ended.
 */
function startClients() {
  const samples = { write: [], read: [] };
  let running = true;
  const loop = async (kind, statement, perSecond) => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const begun = performance.now();
    for (let i = 0; running; i++) {
      const due = begun + (i * 1000) / perSecond;
      if (due > performance.now()) await setTimeout(due - performance.now());
      const started = performance.now();
      await client.query(...statement(i));
      samples[kind].push({ at: performance.now(), ms: elapsed(started) });
    }
    await client.end();
  };
  const tag = Math.random().toString(36).slice(2, 8);
  const done = Promise.all([
    loop(
      'write',
      (i) => [
        `INSERT INTO jobs (submission_id, entrypoint, status, message, start_time, metadata,
         runtime_env, resources, node_id)
       VALUES ($1, 'echo hi', 'PENDING', 'Job is pending.', $2, '{}', '{}', '{}', 'node')`,
        [`bench-${tag}-${i}`, Date.now()],
      ],
      INSERTS_PER_SECOND,
    ),
    loop(
      'read',
      (i) => [
        'SELECT seq, status FROM jobs WHERE submission_id = $1',
        [`raysubmit_${md5((i % n) + 1)}`],
      ],
      Infinity,
    ),
  ]);
  return {
    samples,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

function summary(samples, from, to) {
  const ms = samples
    .filter((s) => s.at >= from && s.at < to)
    .map((s) => s.ms)
    .sort((a, b) => a - b);
  const at = (q) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? NaN;
  return { count: ms.length, p50: at(0.5), p99: at(0.99), max: ms[ms.length - 1] ?? NaN };
}

const fillLeft = async () => {
  const { table } = await one(`SELECT to_regclass('job_details_fill') AS table`);
  if (table === null) return false;
  return (await one('SELECT EXISTS (SELECT 1 FROM job_details_fill) AS left')).left;
};

const seedStart = performance.now();
await seed();
const seeded = elapsed(seedStart);
const sizes = async () => {
  const row = await one(
    `SELECT pg_table_size('jobs') AS "table", pg_indexes_size('jobs') AS indexes`,
  );
  return { table: Number(row.table), indexes: Number(row.indexes) };
};
const sizeBefore = await sizes();
const eventsBefore = Number((await one('SELECT count(*) AS n FROM job_events')).n);
const clients = startClients();
await setTimeout(QUIET_MS);
const upgradeStart = performance.now();
const store = await PostgresJobStore.open({
  url: database.url,
  poolSize: 2,
  exclusive: false,
  onConnectionError: (error) => {
    throw error;
  },
});
const opened = performance.now();
while (await fillLeft()) await setTimeout(50);
const filled = performance.now();
await clients.stop();
await store.close();
const unfilled = Number(
  (await one('SELECT count(*) AS n FROM jobs WHERE end_time IS NOT NULL AND details_json IS NULL'))
    .n,
);
const writes = clients.samples.write.length;
const eventsAdded = Number((await one('SELECT count(*) AS n FROM job_events')).n) - eventsBefore;
const sizeAfter = await sizes();
// What autovacuum does soon after: the old row versions' space becomes free for new rows.
await admin.query('VACUUM jobs');
await admin.query('CREATE EXTENSION IF NOT EXISTS pg_freespacemap');
const free = Number((await one(`SELECT sum(avail) AS bytes FROM pg_freespace('jobs')`)).bytes);
await admin.end();
await database.drop();

const quiet = { write: summary(clients.samples.write, upgradeStart - QUIET_MS, upgradeStart) };
quiet.read = summary(clients.samples.read, upgradeStart - QUIET_MS, upgradeStart);
const during = { write: summary(clients.samples.write, upgradeStart, filled) };
during.read = summary(clients.samples.read, upgradeStart, filled);
const fmt = (x) => (Number.isNaN(x) ? '-' : x.toFixed(1));
const mb = (bytes) => (bytes / 1048576).toFixed(0);
const row = (what, s) => `| ${what} | ${s.count} | ${fmt(s.p50)} | ${fmt(s.p99)} | ${fmt(s.max)} |`;
const here = dirname(fileURLToPath(import.meta.url));
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
  cwd: here,
  encoding: 'utf8',
});
const table = [
  `# Upgrading a PostgreSQL store from schema ${SCHEMA_BEFORE}, ${n.toLocaleString('en')} jobs`,
  '',
  `commit ${commit.trim()}; ${cpus()[0]?.model ?? 'cpu'}, ${cpus().length} cores, Node ${process.version}; ${new Date().toISOString()}; load average ${loadAverage()} at the end`,
  '',
  `Seeded in ${(seeded / 1000).toFixed(1)} s. The store opened (migrated) in ${fmt(opened - upgradeStart)} ms and its ended jobs' texts were filled ${fmt(filled - opened)} ms later.`,
  '',
  "| another replica's statements | count | p50 (ms) | p99 (ms) | max (ms) |",
  '| --- | ---: | ---: | ---: | ---: |',
  row(`inserts, ${QUIET_MS / 1000} s before the upgrade`, quiet.write),
  row('inserts, from the open to the end of the fill', during.write),
  row(`reads by id, ${QUIET_MS / 1000} s before the upgrade`, quiet.read),
  row('reads by id, from the open to the end of the fill', during.read),
  '',
  `| row | value |`,
  '| --- | ---: |',
  `| longest insert wait, upgrade / quiet | ${(during.write.max / quiet.write.max).toFixed(1)}x |`,
  `| longest read wait, upgrade / quiet | ${(during.read.max / quiet.read.max).toFixed(1)}x |`,
  `| ended jobs left without their text | ${unfilled} |`,
  `| change-log entries added beyond the ${writes} inserts | ${eventsAdded - writes} |`,
  `| jobs table, before / after (MiB) | ${mb(sizeBefore.table)} / ${mb(sizeAfter.table)} |`,
  `| its indexes, before / after (MiB) | ${mb(sizeBefore.indexes)} / ${mb(sizeAfter.indexes)} |`,
  `| free for new rows in the table after a VACUUM (MiB) | ${mb(free)} |`,
].join('\n');
console.log(table);
mkdirSync(join(here, 'results'), { recursive: true });
const stamp = new Date().toISOString().slice(0, 16).replace(/[T:]/g, '-');
writeFileSync(join(here, 'results', `upgrade-postgres-${stamp}.md`), `${table}\n`);
