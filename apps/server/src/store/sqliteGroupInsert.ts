import type Database from 'better-sqlite3';

interface PendingInsert<Row> {
  values: Record<string, unknown>;
  resolve: (row: Row) => void;
  reject: (error: unknown) => void;
}

type Outcome<Row> = { row: Row } | { error: unknown };

/**
 * Group commit: the inserts asked for during one turn of the event loop are written in one
 * transaction, so that concurrent submissions share one fsync (`synchronous = FULL` costs one
 * per commit) instead of queueing for one each. Each insert still resolves only once the
 * transaction holding it is committed, so an answered row is a durable row.
 *
 * Each insert runs in its own savepoint: one that violates a unique constraint is undone and
 * refused alone. Any other failure (a full disk, an I/O error) fails the whole group and every
 * insert in it, because SQLite may have rolled the whole transaction back.
 */
export class SqliteGroupInsert<Row> {
  private pending: PendingInsert<Row>[] = [];
  private readonly commitGroup: (group: PendingInsert<Row>[]) => Outcome<Row>[];

  constructor(
    db: Database.Database,
    insert: Database.Statement,
    isRefusedAlone: (error: unknown) => boolean,
  ) {
    // Nested inside commitGroup's transaction, better-sqlite3 runs this as a savepoint.
    const insertOne = db.transaction(
      (values: Record<string, unknown>) => insert.get(values) as Row,
    );
    // COMMIT is a statement of its own here, so its failure (SQLITE_FULL) is reported, never lost.
    this.commitGroup = db.transaction((group: PendingInsert<Row>[]) =>
      group.map((item): Outcome<Row> => {
        try {
          return { row: insertOne(item.values) };
        } catch (error) {
          if (isRefusedAlone(error)) return { error };
          throw error;
        }
      }),
    );
  }

  /** Resolves with the inserted row once it is committed. */
  insert(values: Record<string, unknown>): Promise<Row> {
    // Flushed after the I/O phase: the requests read in this turn join the same group.
    if (this.pending.length === 0) {
      setImmediate(() => {
        this.flush();
      });
    }
    return new Promise((resolve, reject) => {
      this.pending.push({ values, resolve, reject });
    });
  }

  /** Commits what is waiting now (the store calls it before closing). */
  flush(): void {
    if (this.pending.length === 0) return;
    const group = this.pending;
    this.pending = [];
    let outcomes: Outcome<Row>[];
    try {
      outcomes = this.commitGroup(group);
    } catch (error) {
      for (const item of group) item.reject(error);
      return;
    }
    outcomes.forEach((outcome, i) => {
      const item = group[i];
      if (item === undefined) return;
      if ('row' in outcome) item.resolve(outcome.row);
      else item.reject(outcome.error);
    });
  }
}
