import type pg from 'pg';
import { JobAlreadyExistsError } from '../../errors.js';
import type { JobRecord, NewJob } from '../../domain/jobRecord.js';
import { classifyError, isConnectionError } from './postgresErrors.js';
import {
  type PostgresJobRow,
  insertColumns,
  insertValues,
  jobColumns,
  toRecord,
} from './postgresJobRow.js';

/**
 * Writes in one transaction at most: a transaction holds the change log's counter row until it
 * commits (postgresSchema.ts), so a bounded group bounds how long other replicas' writes wait.
 */
const MAX_GROUP = 1_000;

/** Rows of one multi-row INSERT: 10 parameters a row, far below PostgreSQL's 65,535. */
const INSERT_BATCH = 500;

interface PendingInsert {
  kind: 'insert';
  job: NewJob;
  resolve: (record: JobRecord) => void;
  reject: (error: unknown) => void;
}

interface PendingChange {
  kind: 'change';
  /** An UPDATE or DELETE of at most one job, without RETURNING. */
  sql: string;
  params: unknown[];
  resolve: (changed: boolean) => void;
  reject: (error: unknown) => void;
}

type PendingWrite = PendingInsert | PendingChange;

/** What a group's statements run as: consecutive inserts share one statement. */
type Step = { kind: 'inserts'; writes: PendingInsert[] } | PendingChange;

/** How an attempt at a group ended. */
type Attempt =
  | { kind: 'committed' }
  /** One statement failed (not the connection): the transaction was rolled back. */
  | { kind: 'stepFailed'; step: Step; error: unknown }
  /** The connection was lost, or BEGIN or COMMIT failed: no write of the group is known done. */
  | { kind: 'groupFailed'; error: unknown };

/**
 * Group commit for PostgreSQL: the writes asked for during one turn of the event loop (inserts
 * of new jobs, state changes, waiting messages, stop requests, deletes) run on one connection in
 * one transaction, so a storm of submissions costs one connection and one durable commit per
 * group instead of a connection and a commit each, and never queues for the pool. Consecutive
 * inserts are one multi-row `INSERT ... ON CONFLICT DO NOTHING`: a taken submission id inserts
 * nothing and is refused alone with JobAlreadyExistsError. Each write resolves only once the
 * transaction holding it is committed.
 *
 * One group is written at a time; writes arriving meanwhile form the next. A statement that
 * fails (anything but a lost connection) is refused alone: the transaction is rolled back and
 * the rest of the group written again without it (a failing multi-row insert is first split into
 * single rows to find the culprit). A lost connection or a failed COMMIT refuses every write of
 * the group, as StoreUnavailableError: none of them was acknowledged.
 */
export class PostgresGroupCommit {
  private pending: PendingWrite[] = [];
  /** The loop writing groups, while there is one. */
  private draining: Promise<void> | undefined;

  constructor(private readonly pool: pg.Pool) {}

  /** Inserts `job`; resolves with the stored record once committed. */
  insert(job: NewJob): Promise<JobRecord> {
    return new Promise<JobRecord>((resolve, reject) => {
      this.enqueue({ kind: 'insert', job, resolve, reject });
    });
  }

  /** Runs `sql` (changing at most one row); resolves with whether it did, once committed. */
  change(sql: string, params: unknown[]): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.enqueue({ kind: 'change', sql, params, resolve, reject });
    });
  }

  /** Resolves once every write asked for so far is committed or refused (before closing). */
  async flush(): Promise<void> {
    while (this.draining !== undefined) await this.draining;
  }

  private enqueue(write: PendingWrite): void {
    this.pending.push(write);
    this.draining ??= this.drain();
  }

  private async drain(): Promise<void> {
    try {
      // Started after the I/O phase: the requests read in this turn join the same group.
      await new Promise((resolve) => setImmediate(resolve));
      while (this.pending.length > 0) {
        await this.commitGroup(this.pending.splice(0, MAX_GROUP));
      }
    } finally {
      // Cleared in the same step that found nothing pending: a write asked for after it starts
      // a new drain, none is left waiting.
      this.draining = undefined;
    }
  }

  private async commitGroup(group: PendingWrite[]): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      refuseAll(group, classifyError(error));
      return;
    }
    let lost: Error | undefined;
    // A checked-out connection's errors have no listener in the pool; unheard, one would end the
    // process. The statement running meanwhile fails with it as well.
    const onError = (error: Error) => {
      lost = error;
    };
    client.on('error', onError);
    try {
      let steps = toSteps(group);
      while (steps.length > 0) {
        const attempt = await this.attempt(client, steps);
        if (attempt.kind === 'committed') return;
        if (attempt.kind === 'groupFailed') {
          if (isConnectionError(attempt.error)) lost = attempt.error as Error;
          refuseAll(writesOf(steps), classifyError(attempt.error));
          return;
        }
        steps = withoutCulprit(steps, attempt.step, attempt.error);
      }
    } finally {
      client.removeListener('error', onError);
      // A connection that broke is closed rather than handed to the next request.
      client.release(lost);
    }
  }

  /**
   * Runs `steps` in one transaction and, once it is committed, answers their writes. A single
   * statement (a lone submission, a job's change of state, the inserts of a storm's turn) is a
   * transaction of its own: BEGIN and COMMIT would be two more round trips on its way.
   */
  private async attempt(client: pg.PoolClient, steps: Step[]): Promise<Attempt> {
    const answers: (() => void)[] = [];
    const alone = steps.length === 1;
    if (!alone) {
      try {
        await client.query('BEGIN');
      } catch (error) {
        return { kind: 'groupFailed', error };
      }
    }
    for (const step of steps) {
      try {
        answers.push(...(await runStep(client, step)));
      } catch (error) {
        // A statement without an answer may or may not have committed: nothing is acknowledged.
        if (isConnectionError(error)) return { kind: 'groupFailed', error };
        if (!alone) await client.query('ROLLBACK').catch(() => undefined);
        return { kind: 'stepFailed', step, error };
      }
    }
    if (!alone) {
      try {
        await client.query('COMMIT');
      } catch (error) {
        // Whether a COMMIT without an answer took effect is unknown: nothing is acknowledged.
        return { kind: 'groupFailed', error };
      }
    }
    for (const answer of answers) answer();
    return { kind: 'committed' };
  }
}

/** Consecutive inserts become one step; every change is a step of its own, in arrival order. */
function toSteps(group: PendingWrite[]): Step[] {
  const steps: Step[] = [];
  for (const write of group) {
    const last = steps[steps.length - 1];
    if (write.kind === 'change') steps.push(write);
    else if (last?.kind === 'inserts' && last.writes.length < INSERT_BATCH) last.writes.push(write);
    else steps.push({ kind: 'inserts', writes: [write] });
  }
  return steps;
}

function writesOf(steps: Step[]): PendingWrite[] {
  return steps.flatMap((step): PendingWrite[] => (step.kind === 'inserts' ? step.writes : [step]));
}

/**
 * The steps to try again after `failed` threw `error`: a single write that failed is refused and
 * left out; a multi-row insert is split into its rows, so the next attempt finds which one fails.
 */
function withoutCulprit(steps: Step[], failed: Step, error: unknown): Step[] {
  return steps.flatMap((step): Step[] => {
    if (step !== failed) return [step];
    if (step.kind === 'inserts' && step.writes.length > 1) {
      return step.writes.map((write) => ({ kind: 'inserts', writes: [write] }));
    }
    refuseAll(writesOf([step]), classifyError(error));
    return [];
  });
}

/** Runs one step; returns what answers its writes once the transaction commits. */
async function runStep(client: pg.PoolClient, step: Step): Promise<(() => void)[]> {
  if (step.kind === 'change') {
    const { rows } = await client.query(`${step.sql} RETURNING 1 AS one`, step.params);
    return [
      () => {
        step.resolve(rows.length === 1);
      },
    ];
  }
  const values = step.writes.map((write) => insertValues(write.job));
  let param = 0;
  const rowsSql = values.map((row) => `(${row.map(() => `$${String(++param)}`).join(', ')})`);
  const { rows } = await client.query<PostgresJobRow>(
    `INSERT INTO jobs (${insertColumns}) VALUES ${rowsSql.join(', ')}
     ON CONFLICT (submission_id) DO NOTHING RETURNING ${jobColumns}`,
    values.flat(),
  );
  const inserted = new Map(rows.map((row) => [row.submission_id, row]));
  return step.writes.map((write) => {
    const row = inserted.get(write.job.submissionId);
    // A second insert of the same id in one statement inserts nothing: the first one owns the row.
    inserted.delete(write.job.submissionId);
    return row === undefined
      ? () => {
          write.reject(new JobAlreadyExistsError(write.job.submissionId));
        }
      : () => {
          write.resolve(toRecord(row));
        };
  });
}

function refuseAll(writes: PendingWrite[], error: unknown): void {
  for (const write of writes) write.reject(error);
}
