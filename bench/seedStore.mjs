// Writes N finished jobs with realistic field sizes straight into a store (the SQLite file of a
// data dir, or a PostgreSQL database), in one transaction, through the server's own schema
// (migrations, triggers and indexes included).
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(new URL('../apps/server/package.json', import.meta.url));
const Database = require('better-sqlite3');

const teams = ['ml', 'data', 'vision', 'speech', 'infra'];
const statuses = [
  'SUCCEEDED',
  'SUCCEEDED',
  'SUCCEEDED',
  'SUCCEEDED',
  'SUCCEEDED',
  'SUCCEEDED',
  'SUCCEEDED',
  'FAILED',
  'FAILED',
  'STOPPED',
];

function job(i, now) {
  const status = statuses[i % statuses.length];
  const startTime = now - (1_000_000 - i) * 1000;
  return {
    submissionId: `app-${randomUUID()}`,
    entrypoint: `python train.py --config configs/experiment-${i % 977}.yaml --epochs ${10 + (i % 40)} --lr 0.00${1 + (i % 9)}`,
    status,
    message:
      status === 'SUCCEEDED'
        ? 'Job finished successfully.'
        : status === 'STOPPED'
          ? 'Job was stopped by request.'
          : `Job failed with exit code 1. Last lines of its log:\nTraceback (most recent call last):\n  File "train.py", line ${i % 300}, in <module>\nRuntimeError: CUDA out of memory (batch ${i % 64})`,
    startTime,
    endTime: startTime + 60_000 + (i % 3600) * 1000,
    metadata: JSON.stringify({
      team: teams[i % teams.length],
      owner: `user${i % 211}`,
      task_type: `task_${i % 13}`,
      ttl: String(600 + (i % 5) * 300),
    }),
    runtimeEnv: JSON.stringify({
      env_vars: {
        DEPLOY_REGION: 'suzhou_std',
        MODEL: `resnet${18 + (i % 4) * 16}`,
        SEED: String(i),
      },
      pip: ['numpy==1.24.4', 'torch==2.3.1'],
      working_dir: `file:///home/disk/jobs/bundle-${i % 500}.zip`,
    }),
    pid: 10_000 + (i % 50_000),
    exitCode: status === 'SUCCEEDED' ? 0 : status === 'FAILED' ? 1 : -15,
    errorType: status === 'FAILED' ? 'JOB_ENTRYPOINT_COMMAND_ERROR' : '',
  };
}

async function seedPostgres(databaseUrl, count) {
  const { PostgresJobStore } =
    await import('../apps/server/dist/store/postgres/postgresJobStore.js');
  const { pg } = await import('./benchDatabase.mjs');
  const store = await PostgresJobStore.open({
    url: databaseUrl,
    poolSize: 1,
    exclusive: false,
    onConnectionError: (error) => {
      throw error;
    },
  });
  await store.close();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const columns = 16;
  const now = Date.now();
  try {
    // A transaction per 1,000 jobs: the change-log trigger updates one counter row per job, and
    // many versions of one row in one transaction make each update slower than the last.
    for (let from = 0; from < count; from += 1000) {
      const values = [];
      const rows = [];
      for (let i = from; i < Math.min(count, from + 1000); i++) {
        const j = job(i, now);
        const base = values.length;
        rows.push(`(${Array.from({ length: columns }, (_, k) => `$${base + k + 1}`).join(', ')})`);
        values.push(
          j.submissionId,
          j.entrypoint,
          j.status,
          j.message,
          j.startTime,
          j.endTime,
          j.metadata,
          j.runtimeEnv,
          '{}',
          'node2-744947',
          `${j.pid}:`,
          j.submissionId,
          String(j.pid),
          '10.0.0.5',
          j.exitCode,
          j.errorType,
        );
      }
      await client.query(
        `INSERT INTO jobs (submission_id, entrypoint, status, message, start_time, end_time,
           metadata, runtime_env, resources, node_id, driver_ref, driver_id, driver_pid,
           driver_node_ip, exit_code, error_type) VALUES ${rows.join(', ')}`,
        values,
      );
    }
    await client.query('VACUUM ANALYZE');
  } finally {
    await client.end();
  }
}

/**
 * Triggers and indexes of `jobs` that maintain the search and metadata indexes: dropped while
 * the jobs go in, then filled in bulk and recreated (index builds sort once instead of taking
 * a million random inserts). The change log and the per-status counts stay on: every job
 * still leaves its `created` change, as a real history does.
 */
const rebuiltInBulk = (name) =>
  [
    'jobs_index_metadata',
    'jobs_index_text',
    'jobs_status_seq',
    'jobs_start_time',
    'jobs_end_time',
  ].includes(name);

/**
 * Seeds `count` jobs into the store of `dataDir` (or the database of `databaseUrl`). With
 * `schema` (SQLite only), a new store file is made at that older schema version, for a server
 * of this version to migrate.
 */
export async function seedStore(dataDir, count, databaseUrl, { schema } = {}) {
  if (databaseUrl !== undefined) return seedPostgres(databaseUrl, count);
  const { SqliteJobStore } = await import('../apps/server/dist/store/sqlite/sqliteJobStore.js');
  const { migrate, schemaVersion } =
    await import('../apps/server/dist/store/sqlite/sqliteSchema.js');
  const file = join(dataDir, 'jobs.sqlite');
  if (schema === undefined) await new SqliteJobStore(file).close();
  const db = new Database(file);
  if (schema !== undefined) {
    db.pragma('journal_mode = WAL');
    migrate(db, schema);
  }
  // The metadata index holds each job's status from schema 8 on.
  const statusIndexed = (schema ?? schemaVersion) >= 8;
  // A seed either completes or is thrown away: no journal on disk, no fsync, a large page cache.
  // MEMORY, not OFF, which better-sqlite3's defensive mode refuses.
  db.pragma('journal_mode = MEMORY');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -524288');
  const dropped = db
    .prepare(
      `SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'jobs' AND sql IS NOT NULL`,
    )
    .all()
    .filter((entry) => rebuiltInBulk(entry.name));
  const insert = db.prepare(
    `INSERT INTO jobs (submission_id, entrypoint, status, message, start_time, end_time, metadata,
       runtime_env, resources, node_id, driver_ref, driver_id, driver_pid, driver_node_ip,
       exit_code, error_type)
     VALUES (@submissionId, @entrypoint, @status, @message, @startTime, @endTime, @metadata,
       @runtimeEnv, '{}', 'node2-744947', @pid || ':', @submissionId, @pid, '10.0.0.5',
       @exitCode, @errorType)`,
  );
  const now = Date.now();
  const first = db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM jobs').get().seq;
  db.transaction(() => {
    for (const { type, name } of dropped) db.exec(`DROP ${type.toUpperCase()} ${name}`);
    for (let i = 0; i < count; i++) insert.run(job(i, now));
    db.prepare(
      `INSERT INTO job_metadata (key, value, job_seq${statusIndexed ? ', job_status' : ''})
       SELECT entry.key, entry.value, jobs.seq${statusIndexed ? ', jobs.status' : ''}
       FROM jobs, json_each(jobs.metadata) AS entry
       WHERE jobs.seq > ?`,
    ).run(first);
    db.prepare(
      `INSERT INTO job_search (rowid, id_text, entrypoint_text)
       SELECT seq, submission_id, entrypoint FROM jobs WHERE seq > ?`,
    ).run(first);
    for (const { sql } of dropped) db.exec(sql);
  })();
  db.pragma('journal_mode = WAL');
  db.close();
}
