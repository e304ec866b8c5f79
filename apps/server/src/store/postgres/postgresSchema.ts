import type pg from 'pg';
import { StoreDamagedError } from '../storeErrors.js';
import { keepDetailsJsonMigration } from './postgresJobDetailsJson.js';

/** Advisory lock held while migrating: replicas starting at once migrate one after another. */
const MIGRATION_LOCK = 7_246_101;

/**
 * ASCII-only case folding in SQL, the meaning of `q` (foldSearchText of @jobs/contract): unlike
 * lower() it does not depend on the database's collation. The trigram indexes are built over
 * exactly this expression, so a query must spell it the same way to use them.
 */
export function foldAscii(column: string): string {
  return `translate(${column}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')`;
}

/** Each entry moves the schema one version up; table schema_migrations records how far a database has come. */
const migrations: readonly string[] = [
  `CREATE EXTENSION IF NOT EXISTS pg_trgm;

   CREATE TABLE jobs (
     seq               bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     submission_id     text    NOT NULL UNIQUE,
     entrypoint        text    NOT NULL,
     status            text    NOT NULL
                       CHECK (status IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'STOPPED')),
     message           text    NOT NULL,
     start_time        bigint  NOT NULL,
     end_time          bigint,
     -- json keeps the submitted text (key order included); the index below reads it as jsonb.
     metadata          json    NOT NULL,
     runtime_env       json    NOT NULL,
     resources         json    NOT NULL,
     node_id           text    NOT NULL,
     -- The job's driver (JobDriver); driver_ref is null until an executor has one.
     driver_ref        text,
     driver_id         text    NOT NULL DEFAULT '',
     driver_pid        text    NOT NULL DEFAULT '',
     driver_node_ip    text    NOT NULL DEFAULT '',
     driver_node_id    text    NOT NULL DEFAULT '',
     exit_code         integer,
     error_type        text    NOT NULL DEFAULT '',
     request_digest    text    NOT NULL DEFAULT '',
     stop_message      text
   );
   CREATE INDEX jobs_active ON jobs (status) WHERE status IN ('PENDING', 'RUNNING');
   CREATE INDEX jobs_end_time ON jobs (end_time) WHERE end_time IS NOT NULL;
   CREATE INDEX jobs_status_seq ON jobs (status, seq);
   CREATE INDEX jobs_start_time ON jobs (start_time);
   CREATE INDEX jobs_metadata ON jobs USING gin ((metadata::jsonb) jsonb_path_ops);
   CREATE INDEX jobs_id_text ON jobs USING gin (${foldAscii('submission_id')} gin_trgm_ops);
   CREATE INDEX jobs_entrypoint_text ON jobs USING gin (${foldAscii('entrypoint')} gin_trgm_ops);

   -- The change log. Ids come from the one row of job_event_counter, updated in the same
   -- transaction as the change: its row lock is held until commit, so a change takes its id
   -- only after the previous change committed. Ids are therefore visible in order and without
   -- gaps (a rolled-back change takes its id back), which a follower reading "after id N" needs;
   -- a sequence would hand out 11 before 10 commits, and a reader past 11 would never see 10.
   CREATE TABLE job_event_counter (
     only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
     last_id  bigint  NOT NULL
   );
   INSERT INTO job_event_counter (last_id) VALUES (0);
   CREATE TABLE job_events (
     id            bigint PRIMARY KEY,
     type          text   NOT NULL
                   CHECK (type IN ('created', 'status_changed', 'updated', 'deleted')),
     submission_id text   NOT NULL,
     job           json   NOT NULL
   );
   CREATE FUNCTION jobs_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
   DECLARE
     event_id bigint;
   BEGIN
     UPDATE job_event_counter SET last_id = last_id + 1 RETURNING last_id INTO event_id;
     IF TG_OP = 'INSERT' THEN
       INSERT INTO job_events VALUES (event_id, 'created', NEW.submission_id, row_to_json(NEW));
     ELSIF TG_OP = 'UPDATE' THEN
       INSERT INTO job_events VALUES (event_id,
         CASE WHEN OLD.status = NEW.status THEN 'updated' ELSE 'status_changed' END,
         NEW.submission_id, row_to_json(NEW));
     ELSE
       INSERT INTO job_events VALUES (event_id, 'deleted', OLD.submission_id, row_to_json(OLD));
     END IF;
     -- Delivered at commit, to every replica's listener.
     PERFORM pg_notify('jobs_changed', '');
     RETURN NULL;
   END $$;
   CREATE TRIGGER jobs_log AFTER INSERT OR UPDATE OR DELETE ON jobs
     FOR EACH ROW EXECUTE FUNCTION jobs_log_change();

   -- Tells one database from another, so a validator never matches across a replaced store.
   CREATE TABLE store_identity (id text NOT NULL);
   INSERT INTO store_identity (id) VALUES (substr(md5(random()::text || clock_timestamp()::text), 1, 16));`,
  // Jobs per status, kept by a trigger in the transaction of each change: the unfiltered summary
  // and the metrics read five rows instead of counting every job. A change already holds the
  // row lock of job_event_counter until it commits, so the count rows add no contention; the
  // trigger is named to fire after jobs_log (triggers fire in name order), so every change takes
  // the counter's lock first and two changes never wait on each other's count rows.
  `CREATE TABLE job_counts (
     status text   PRIMARY KEY,
     count  bigint NOT NULL CHECK (count >= 0)
   );
   INSERT INTO job_counts (status, count)
     SELECT statuses.status, count(jobs.seq)
     FROM (VALUES ('PENDING'), ('RUNNING'), ('SUCCEEDED'), ('FAILED'), ('STOPPED'))
       AS statuses (status)
     LEFT JOIN jobs ON jobs.status = statuses.status
     GROUP BY statuses.status;
   CREATE FUNCTION jobs_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP IN ('UPDATE', 'DELETE') THEN
       UPDATE job_counts SET count = count - 1 WHERE status = OLD.status;
     END IF;
     IF TG_OP IN ('INSERT', 'UPDATE') THEN
       UPDATE job_counts SET count = count + 1 WHERE status = NEW.status;
     END IF;
     RETURN NULL;
   END $$;
   CREATE TRIGGER jobs_tally AFTER INSERT OR DELETE ON jobs
     FOR EACH ROW EXECUTE FUNCTION jobs_count_change();
   CREATE TRIGGER jobs_tally_status AFTER UPDATE OF status ON jobs
     FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
     EXECUTE FUNCTION jobs_count_change();`,
  // Each metadata entry of each job as a row carrying the job's status, kept by triggers: the
  // metadata-led summary walks (key, value, job_seq) newest first and counts from the index
  // alone, instead of reading the row of every candidate job. The entries go in before the
  // indexes are built: one sort each instead of a million random inserts.
  `CREATE TABLE job_metadata (
     key        text   NOT NULL,
     value      text   NOT NULL,
     job_seq    bigint NOT NULL,
     job_status text   NOT NULL
   );
   INSERT INTO job_metadata (key, value, job_seq, job_status)
     SELECT entry.key, entry.value, jobs.seq, jobs.status
     FROM jobs, jsonb_each_text(jobs.metadata::jsonb) AS entry;
   ALTER TABLE job_metadata ADD PRIMARY KEY (key, value, job_seq) INCLUDE (job_status);
   CREATE INDEX job_metadata_job ON job_metadata (job_seq);
   ANALYZE job_metadata;
   CREATE FUNCTION jobs_metadata_change() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF TG_OP = 'INSERT' THEN
       INSERT INTO job_metadata (key, value, job_seq, job_status)
         SELECT key, value, NEW.seq, NEW.status FROM jsonb_each_text(NEW.metadata::jsonb);
     ELSIF TG_OP = 'UPDATE' THEN
       UPDATE job_metadata SET job_status = NEW.status WHERE job_seq = NEW.seq;
     ELSE
       DELETE FROM job_metadata WHERE job_seq = OLD.seq;
     END IF;
     RETURN NULL;
   END $$;
   CREATE TRIGGER jobs_metadata AFTER INSERT OR DELETE ON jobs
     FOR EACH ROW EXECUTE FUNCTION jobs_metadata_change();
   CREATE TRIGGER jobs_metadata_status AFTER UPDATE OF status ON jobs
     FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
     EXECUTE FUNCTION jobs_metadata_change();`,
  // When the job started running (ms since the epoch), so the time queued is known apart from
  // the time run. Not part of JobDetails; NULL for jobs that never ran or ran before it existed.
  `ALTER TABLE jobs ADD COLUMN running_since bigint;`,
  // The list's duration orders: ended jobs by run duration, then the jobs not ended by
  // position, all or of one status (few jobs have not ended: those indexes stay small). The expression must be spelt as postgresListPage.ts spells it.
  `CREATE INDEX jobs_duration ON jobs ((end_time - start_time), seq) WHERE end_time IS NOT NULL;
   CREATE INDEX jobs_status_duration ON jobs (status, (end_time - start_time), seq)
     WHERE end_time IS NOT NULL;
   CREATE INDEX jobs_not_ended ON jobs (seq) WHERE end_time IS NULL;
   CREATE INDEX jobs_status_not_ended ON jobs (status, seq) WHERE end_time IS NULL;`,
  // Each ended job's JobDetails JSON, kept in its row for the unpaged list.
  keepDetailsJsonMigration,
];

/**
 * Brings the database to this server's schema (or to `target`, which tests of a migration use)
 * in one transaction, under an advisory lock: a replica starting meanwhile waits, then finds
 * nothing left to do.
 */
export async function migrate(client: pg.ClientBase, target = migrations.length): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version    integer     PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ version: number | null }>(
      'SELECT max(version) AS version FROM schema_migrations',
    );
    const current = rows[0]?.version ?? 0;
    if (current > migrations.length) {
      throw new Error(
        `The job store was written by a newer server (schema ${current}, this server knows ${migrations.length}).`,
      );
    }
    for (let version = current; version < target; version++) {
      await client.query(migrations[version] as string);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version + 1]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Throws StoreDamagedError unless the database is at exactly this server's schema version. */
export async function checkSchemaVersion(
  run: <R extends object>(sql: string) => Promise<R[]>,
): Promise<void> {
  const rows = await run<{ version: number | null }>(
    'SELECT max(version) AS version FROM schema_migrations',
  );
  const version = rows[0]?.version ?? 0;
  if (version !== migrations.length) {
    throw new StoreDamagedError(
      `The job database is at schema ${version}, not ${migrations.length} as when this server opened it.`,
    );
  }
}
