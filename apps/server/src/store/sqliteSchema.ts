import type Database from 'better-sqlite3';

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
