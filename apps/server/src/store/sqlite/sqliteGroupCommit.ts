import type Database from 'better-sqlite3';

interface PendingWrite {
  write: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { value: unknown } | { error: unknown };

/**
 * Group commit: the writes asked for during one turn of the event loop (inserts of new jobs,
 * state changes of running ones, waiting messages) are written in one transaction, so that they
 * share one fsync (`synchronous = FULL` costs one per commit) instead of queueing for one each,
 * each blocking the event loop. Each write still resolves only once the transaction holding it
 * is committed, so an answered change is a durable change.
 *
 * Each write runs in its own savepoint: one that violates a constraint (a taken submission id)
 * is undone and refused alone. Any other failure (a full disk, an I/O error) fails the whole
 * group and every write in it, because SQLite may have rolled the whole transaction back.
 */
export class SqliteGroupCommit {
  private pending: PendingWrite[] = [];
  private readonly commitGroup: (group: PendingWrite[]) => Outcome[];

  /** `afterGroup` is called once each group was written or failed: the store has changed. */
  constructor(
    db: Database.Database,
    private readonly afterGroup: () => void = () => {},
  ) {
    // Nested inside commitGroup's transaction, better-sqlite3 runs this as a savepoint.
    const writeOne = db.transaction((write: () => unknown) => write());
    // COMMIT is a statement of its own here, so its failure (SQLITE_FULL) is reported, never lost.
    this.commitGroup = db.transaction((group: PendingWrite[]) =>
      group.map((item): Outcome => {
        try {
          return { value: writeOne(item.write) };
        } catch (error) {
          if (isConstraintViolation(error)) return { error };
          throw error;
        }
      }),
    );
  }

  /** Runs `write` in the next group; resolves with what it returned once that is committed. */
  write<T>(write: () => T): Promise<T> {
    // Flushed after the I/O phase: the requests read in this turn join the same group.
    if (this.pending.length === 0) {
      setImmediate(() => {
        this.flush();
      });
    }
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ write, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  /** Commits what is waiting now (the store calls it before closing). */
  flush(): void {
    if (this.pending.length === 0) return;
    const group = this.pending;
    this.pending = [];
    let outcomes: Outcome[];
    try {
      outcomes = this.commitGroup(group);
    } catch (error) {
      this.afterGroup();
      for (const item of group) item.reject(error);
      return;
    }
    this.afterGroup();
    outcomes.forEach((outcome, i) => {
      const item = group[i];
      if (item === undefined) return;
      if ('value' in outcome) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }
}

function isConstraintViolation(error: unknown): boolean {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT');
}
