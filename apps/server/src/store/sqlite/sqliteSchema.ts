import type Database from 'better-sqlite3';

/** The columns a change-log entry records of a job row, as SQL building its JSON object. */
const snapshotColumns = [
  'submission_id',
  'entrypoint',
  'status',
  'message',
  'start_time',
  'end_time',
  'metadata',
  'runtime_env',
  'resources',
  'node_id',
  'driver_ref',
  'driver_id',
  'driver_pid',
  'driver_node_ip',
  'driver_node_id',
  'exit_code',
  'error_type',
];

/** The columns the change log recorded before drivers had a neutral reference. */
const snapshotColumnsV5 = [
  ...snapshotColumns.slice(0, snapshotColumns.indexOf('driver_ref')),
  'driver_node_ip',
  'driver_pid',
  'driver_started_at',
  ...snapshotColumns.slice(snapshotColumns.indexOf('exit_code')),
];

function jobSnapshot(row: 'NEW' | 'OLD', columns: readonly string[]): string {
  return `json_object(${columns.map((c) => `'${c}', ${row}.${c}`).join(', ')})`;
}

/** Triggers appending every change of a job row, as these columns, to the change log. */
const changeLogTriggers = (columns: readonly string[]) => `
   CREATE TRIGGER jobs_log_insert AFTER INSERT ON jobs BEGIN
     INSERT INTO job_events (type, submission_id, job)
     VALUES ('created', NEW.submission_id, ${jobSnapshot('NEW', columns)});
   END;
   CREATE TRIGGER jobs_log_update AFTER UPDATE ON jobs BEGIN
     INSERT INTO job_events (type, submission_id, job)
     VALUES (CASE WHEN OLD.status IS NEW.status THEN 'updated' ELSE 'status_changed' END,
             NEW.submission_id, ${jobSnapshot('NEW', columns)});
   END;
   CREATE TRIGGER jobs_log_delete AFTER DELETE ON jobs BEGIN
     INSERT INTO job_events (type, submission_id, job)
     VALUES ('deleted', OLD.submission_id, ${jobSnapshot('OLD', columns)});
   END;`;

/** Each entry moves the schema one version up; PRAGMA user_version records how far a file has come. */
const migrations: readonly string[] = [
  `CREATE TABLE jobs (
     seq               INTEGER PRIMARY KEY AUTOINCREMENT,
     submission_id     TEXT    NOT NULL UNIQUE,
     entrypoint        TEXT    NOT NULL,
     status            TEXT    NOT NULL
                       CHECK (status IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'STOPPED')),
     message           TEXT    NOT NULL,
     start_time        INTEGER NOT NULL,
     end_time          INTEGER,
     metadata          TEXT    NOT NULL,
     runtime_env       TEXT    NOT NULL,
     resources         TEXT    NOT NULL,
     node_id           TEXT    NOT NULL,
     driver_node_ip    TEXT    NOT NULL DEFAULT '',
     driver_pid        INTEGER,
     driver_started_at TEXT,
     exit_code         INTEGER,
     error_type        TEXT    NOT NULL DEFAULT ''
   ) STRICT;
   CREATE INDEX jobs_active ON jobs (status) WHERE status IN ('PENDING', 'RUNNING');`,
  // Digest of the accepted request, so a retried submission is told apart from a conflicting one.
  `ALTER TABLE jobs ADD COLUMN request_digest TEXT NOT NULL DEFAULT '';`,
  // Set when a stop was asked for, so a job that ends while the server is down is still STOPPED.
  `ALTER TABLE jobs ADD COLUMN stop_message TEXT;`,
  // Finished jobs by age, for the retention sweep.
  `CREATE INDEX jobs_end_time ON jobs (end_time) WHERE end_time IS NOT NULL;`,
  // Change log (for the events stream and cheap list ETags) and the indexes of the list filters.
  `CREATE TABLE job_events (
     id            INTEGER PRIMARY KEY AUTOINCREMENT,
     type          TEXT    NOT NULL
                   CHECK (type IN ('created', 'status_changed', 'updated', 'deleted')),
     submission_id TEXT    NOT NULL,
     job           TEXT    NOT NULL
   ) STRICT;
   ${changeLogTriggers(snapshotColumnsV5)}

   CREATE TABLE job_metadata (
     key     TEXT    NOT NULL,
     value   TEXT    NOT NULL,
     job_seq INTEGER NOT NULL,
     PRIMARY KEY (key, value, job_seq)
   ) STRICT, WITHOUT ROWID;
   CREATE INDEX job_metadata_job ON job_metadata (job_seq);
   INSERT INTO job_metadata (key, value, job_seq)
     SELECT entry.key, entry.value, jobs.seq FROM jobs, json_each(jobs.metadata) AS entry;
   CREATE TRIGGER jobs_index_metadata AFTER INSERT ON jobs BEGIN
     INSERT INTO job_metadata (key, value, job_seq)
       SELECT key, value, NEW.seq FROM json_each(NEW.metadata);
   END;
   CREATE TRIGGER jobs_unindex_metadata AFTER DELETE ON jobs BEGIN
     DELETE FROM job_metadata WHERE job_seq = OLD.seq;
   END;

   -- Trigram index of the text q searches: any substring of 3 characters or more, any case.
   CREATE VIRTUAL TABLE job_search USING fts5(
     id_text, entrypoint_text, content = '', contentless_delete = 1, tokenize = 'trigram');
   INSERT INTO job_search (rowid, id_text, entrypoint_text)
     SELECT seq, submission_id, entrypoint FROM jobs;
   CREATE TRIGGER jobs_index_text AFTER INSERT ON jobs BEGIN
     INSERT INTO job_search (rowid, id_text, entrypoint_text)
       VALUES (NEW.seq, NEW.submission_id, NEW.entrypoint);
   END;
   CREATE TRIGGER jobs_unindex_text AFTER DELETE ON jobs BEGIN
     DELETE FROM job_search WHERE rowid = OLD.seq;
   END;

   CREATE INDEX jobs_status_seq ON jobs (status, seq);
   CREATE INDEX jobs_start_time ON jobs (start_time);

   -- Tells one store file from another, so a validator never matches across a reset data dir.
   CREATE TABLE store_identity (id TEXT NOT NULL) STRICT;
   INSERT INTO store_identity (id) VALUES (lower(hex(randomblob(8))));`,
  // A driver reference any executor can fill (local: pid and start time; Slurm: its job id),
  // instead of columns shaped for local processes. Kept changes are rewritten the same way.
  `DROP TRIGGER jobs_log_insert;
   DROP TRIGGER jobs_log_update;
   DROP TRIGGER jobs_log_delete;
   ALTER TABLE jobs ADD COLUMN driver_ref TEXT;
   ALTER TABLE jobs ADD COLUMN driver_id TEXT NOT NULL DEFAULT '';
   ALTER TABLE jobs ADD COLUMN driver_node_id TEXT NOT NULL DEFAULT '';
   ALTER TABLE jobs ADD COLUMN driver_shown_pid TEXT NOT NULL DEFAULT '';
   UPDATE jobs SET driver_ref = driver_pid || ':' || coalesce(driver_started_at, ''),
                   driver_id = submission_id, driver_shown_pid = CAST(driver_pid AS TEXT)
     WHERE driver_pid IS NOT NULL;
   ALTER TABLE jobs DROP COLUMN driver_pid;
   ALTER TABLE jobs DROP COLUMN driver_started_at;
   ALTER TABLE jobs RENAME COLUMN driver_shown_pid TO driver_pid;
   UPDATE job_events SET job = json_set(json_remove(job, '$.driver_started_at'),
       '$.driver_ref', CASE WHEN json_extract(job, '$.driver_pid') IS NULL THEN NULL
                       ELSE json_extract(job, '$.driver_pid') || ':' ||
                            coalesce(json_extract(job, '$.driver_started_at'), '') END,
       '$.driver_id', CASE WHEN json_extract(job, '$.driver_pid') IS NULL THEN ''
                      ELSE json_extract(job, '$.submission_id') END,
       '$.driver_pid', coalesce(CAST(json_extract(job, '$.driver_pid') AS TEXT), ''),
       '$.driver_node_id', '');
   ${changeLogTriggers(snapshotColumns)}`,
  // Jobs per status, kept by triggers in the transaction of each change: the unfiltered summary
  // and the metrics read five rows instead of counting every job.
  `CREATE TABLE job_counts (
     status TEXT    PRIMARY KEY,
     count  INTEGER NOT NULL CHECK (count >= 0)
   ) STRICT, WITHOUT ROWID;
   INSERT INTO job_counts (status, count)
     VALUES ('PENDING', 0), ('RUNNING', 0), ('SUCCEEDED', 0), ('FAILED', 0), ('STOPPED', 0);
   UPDATE job_counts SET count = (SELECT count(*) FROM jobs WHERE jobs.status = job_counts.status);
   CREATE TRIGGER jobs_count_insert AFTER INSERT ON jobs BEGIN
     UPDATE job_counts SET count = count + 1 WHERE status = NEW.status;
   END;
   CREATE TRIGGER jobs_count_update AFTER UPDATE OF status ON jobs
     WHEN OLD.status IS NOT NEW.status BEGIN
     UPDATE job_counts SET count = count - 1 WHERE status = OLD.status;
     UPDATE job_counts SET count = count + 1 WHERE status = NEW.status;
   END;
   CREATE TRIGGER jobs_count_delete AFTER DELETE ON jobs BEGIN
     UPDATE job_counts SET count = count - 1 WHERE status = OLD.status;
   END;`,
  // Each metadata entry carries its job's status, so the metadata-led summary counts from the
  // metadata index alone instead of reading the row of every candidate job.
  `ALTER TABLE job_metadata ADD COLUMN job_status TEXT NOT NULL DEFAULT '';
   UPDATE job_metadata SET job_status = (SELECT status FROM jobs WHERE jobs.seq = job_metadata.job_seq);
   DROP TRIGGER jobs_index_metadata;
   CREATE TRIGGER jobs_index_metadata AFTER INSERT ON jobs BEGIN
     INSERT INTO job_metadata (key, value, job_seq, job_status)
       SELECT key, value, NEW.seq, NEW.status FROM json_each(NEW.metadata);
   END;
   CREATE TRIGGER jobs_restatus_metadata AFTER UPDATE OF status ON jobs
     WHEN OLD.status IS NOT NEW.status BEGIN
     UPDATE job_metadata SET job_status = NEW.status WHERE job_seq = NEW.seq;
   END;`,
  // When the job started running (ms since the epoch), so the time queued is known apart from
  // the time run. Not part of JobDetails; NULL for jobs that never ran or ran before it existed.
  `ALTER TABLE jobs ADD COLUMN running_since INTEGER;`,
  // The list's duration orders: ended jobs by run duration, then the jobs not ended by
  // position, all or of one status (few jobs have not ended: those indexes stay small). The expression must be spelt as sqliteListPage.ts spells it.
  `CREATE INDEX jobs_duration ON jobs (end_time - start_time, seq) WHERE end_time IS NOT NULL;
   CREATE INDEX jobs_status_duration ON jobs (status, end_time - start_time, seq)
     WHERE end_time IS NOT NULL;
   CREATE INDEX jobs_not_ended ON jobs (seq) WHERE end_time IS NULL;
   CREATE INDEX jobs_status_not_ended ON jobs (status, seq) WHERE end_time IS NULL;`,
  // New jobs are queued for the trigram index instead of written to it in their own commit; the
  // queue is indexed in slices shortly after, and before any search (sqliteTextIndex.ts). A job
  // deleted while queued leaves the queue and was never in the index.
  `CREATE TABLE job_search_pending (seq INTEGER PRIMARY KEY) STRICT;
   DROP TRIGGER jobs_index_text;
   CREATE TRIGGER jobs_index_text AFTER INSERT ON jobs BEGIN
     INSERT INTO job_search_pending (seq) VALUES (NEW.seq);
   END;
   DROP TRIGGER jobs_unindex_text;
   CREATE TRIGGER jobs_unindex_text AFTER DELETE ON jobs BEGIN
     DELETE FROM job_search WHERE rowid = OLD.seq
       AND NOT EXISTS (SELECT 1 FROM job_search_pending WHERE seq = OLD.seq);
     DELETE FROM job_search_pending WHERE seq = OLD.seq;
   END;`,
];

/** The schema version this server writes. */
export const schemaVersion = migrations.length;

/** Brings a store file to the latest schema (or to `target`, which tests of a migration use). */
export function migrate(db: Database.Database, target = migrations.length): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(
      `The job store was written by a newer server (schema ${current}, this server knows ${migrations.length}).`,
    );
  }
  db.transaction(() => {
    for (let version = current; version < target; version++) {
      db.exec(migrations[version] as string);
    }
    db.pragma(`user_version = ${String(Math.max(current, target))}`);
  }).immediate();
}
