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
  'driver_node_ip',
  'driver_pid',
  'driver_started_at',
  'exit_code',
  'error_type',
];

function jobSnapshot(row: 'NEW' | 'OLD'): string {
  return `json_object(${snapshotColumns.map((c) => `'${c}', ${row}.${c}`).join(', ')})`;
}

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
   CREATE TRIGGER jobs_log_insert AFTER INSERT ON jobs BEGIN
     INSERT INTO job_events (type, submission_id, job)
     VALUES ('created', NEW.submission_id, ${jobSnapshot('NEW')});
   END;
   CREATE TRIGGER jobs_log_update AFTER UPDATE ON jobs BEGIN
     INSERT INTO job_events (type, submission_id, job)
     VALUES (CASE WHEN OLD.status IS NEW.status THEN 'updated' ELSE 'status_changed' END,
             NEW.submission_id, ${jobSnapshot('NEW')});
   END;
   CREATE TRIGGER jobs_log_delete AFTER DELETE ON jobs BEGIN
     INSERT INTO job_events (type, submission_id, job)
     VALUES ('deleted', OLD.submission_id, ${jobSnapshot('OLD')});
   END;

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
];

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(
      `The job store was written by a newer server (schema ${current}, this server knows ${migrations.length}).`,
    );
  }
  db.transaction(() => {
    for (let version = current; version < migrations.length; version++) {
      db.exec(migrations[version] as string);
    }
    db.pragma(`user_version = ${migrations.length}`);
  }).immediate();
}
