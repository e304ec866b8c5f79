import pg from 'pg';
import { ChangeNotifier } from '../changeNotifier.js';
import { StoreUnavailableError } from '../storeUnavailableError.js';

/**
 * Advisory lock every server holds while it uses a database: exclusively when alone on it (local
 * executor), shared by the replicas of a Slurm service, so the two kinds never mix.
 */
const SERVER_LOCK = 7_246_102;

/** The channel the change-log trigger notifies at every commit (postgresSchema.ts). */
const CHANNEL = 'jobs_changed';

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5_000;

export class DatabaseInUseError extends Error {}

export interface ChangeListenerOptions {
  /**
   * Hold the server lock exclusively: refuse a database another server uses, and keep others
   * out. Otherwise hold it shared with the other replicas, refusing only an exclusive holder.
   */
  exclusive: boolean;
  /** The database to name in messages (its URL without the password). */
  databaseName: string;
  /** A lost connection and every failed attempt to get it back. */
  onConnectionError: (error: unknown) => void;
}

/**
 * One connection of its own that LISTENs for committed changes (NOTIFY is delivered at commit,
 * from any replica) and, for an exclusive server, holds the server lock. A lost connection is
 * re-made with backoff; listeners are then told, since changes may have passed meanwhile.
 */
export class PostgresChangeListener {
  private readonly notifier = new ChangeNotifier();
  private client: pg.Client | undefined;
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelay = RECONNECT_MIN_MS;
  /** Why the listener cannot serve now; undefined while it can. */
  private problem: string | undefined = 'not connected yet';

  private constructor(
    private readonly config: pg.ClientConfig,
    private readonly options: ChangeListenerOptions,
  ) {}

  /** Connects; throws DatabaseInUseError when an exclusive server already uses the database. */
  static async open(
    config: pg.ClientConfig,
    options: ChangeListenerOptions,
  ): Promise<PostgresChangeListener> {
    const listener = new PostgresChangeListener(config, options);
    await listener.connect();
    if (listener.problem !== undefined) {
      await listener.close();
      throw new DatabaseInUseError(listener.problem);
    }
    return listener;
  }

  subscribe(listener: () => void): () => void {
    return this.notifier.subscribe(listener);
  }

  /** Throws StoreUnavailableError while changes cannot be heard or the server lock is not held. */
  check(): void {
    if (this.problem !== undefined) throw new StoreUnavailableError(this.problem);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    // Ending the session releases the server lock.
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.config);
    client.on('error', (error) => {
      this.lost(client, error);
    });
    client.on('end', () => {
      this.lost(client, new Error('Connection terminated'));
    });
    client.on('notification', () => {
      this.notifier.notify();
    });
    await client.connect();
    this.client = client;
    const { exclusive, databaseName } = this.options;
    const { rows } = await client.query<{ locked: boolean }>(
      exclusive
        ? 'SELECT pg_try_advisory_lock($1) AS locked'
        : 'SELECT pg_try_advisory_lock_shared($1) AS locked',
      [SERVER_LOCK],
    );
    if (rows[0]?.locked !== true) {
      this.problem = exclusive
        ? `The database ${databaseName} is in use by another job server; only servers with --executor slurm can share one. Stop it or choose another --database-url.`
        : `The database ${databaseName} is in use by a job server that runs jobs on its own machine (--executor local); stop it or choose another --database-url.`;
      return;
    }
    await client.query(`LISTEN ${CHANNEL}`);
    this.problem = undefined;
    this.reconnectDelay = RECONNECT_MIN_MS;
  }

  private lost(client: pg.Client, error: unknown): void {
    if (this.closed || this.client !== client) return;
    this.client = undefined;
    this.problem = 'The connection to the job database was lost; reconnecting.';
    this.options.onConnectionError(error);
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.reconnect().catch((error: unknown) => {
        this.options.onConnectionError(error);
      });
    }, this.reconnectDelay);
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
  }

  private async reconnect(): Promise<void> {
    if (this.closed) return;
    try {
      await this.connect();
    } catch (error) {
      const client = this.client;
      this.client = undefined;
      await client?.end().catch(() => undefined);
      this.problem = 'The job database cannot be reached; reconnecting.';
      this.options.onConnectionError(error);
      this.scheduleReconnect();
      return;
    }
    if (this.problem !== undefined) {
      // Another server took the lock while the connection was down: serve nothing, try again.
      const client = this.client;
      this.client = undefined;
      await client?.end().catch(() => undefined);
      this.scheduleReconnect();
      return;
    }
    // Changes may have been committed while no one listened.
    this.notifier.notify();
  }
}
