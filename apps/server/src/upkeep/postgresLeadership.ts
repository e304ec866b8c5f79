import pg from 'pg';
import type { Logger } from 'pino';
import type { Leadership } from './leadership.js';

/** Session-level advisory lock held by the leader (postgresChangeListener.ts holds 7_246_102). */
const LEADER_LOCK = 7_246_103;

export interface PostgresLeadershipOptions {
  connection: pg.ClientConfig;
  /** Time between two attempts to lead, and between two checks that the lock is still held. */
  intervalMs: number;
  logger: Logger;
}

/**
 * Leadership among the servers sharing one PostgreSQL database: the leader holds a session-level
 * advisory lock on a connection of its own. The lock goes with the session, so a leader that
 * dies (SIGKILL, crash, lost network) frees it, and another server takes it at its next attempt.
 * A leader that loses its connection stands down at once, before anyone else can lead.
 */
export class PostgresLeadership implements Leadership {
  private client: pg.Client | undefined;
  private leading = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private transitions: Promise<void> = Promise.resolve();
  private onChange: (leading: boolean) => Promise<void> = () => Promise.resolve();

  constructor(private readonly options: PostgresLeadershipOptions) {}

  get isLeader(): boolean {
    return this.leading;
  }

  start(onChange: (leading: boolean) => Promise<void>): void {
    this.onChange = onChange;
    void this.attempt();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    // The tasks stop before the lock is let go, so no two servers ever run them at once.
    if (this.leading) this.transition(false);
    await this.transitions;
    await client?.end().catch(() => undefined);
  }

  private async attempt(): Promise<void> {
    if (this.closed) return;
    try {
      const client = this.client ?? (await this.connect());
      if (this.leading) {
        // A session that answers still holds its lock.
        await client.query('SELECT 1');
      } else {
        const { rows } = await client.query<{ locked: boolean }>(
          'SELECT pg_try_advisory_lock($1) AS locked',
          [LEADER_LOCK],
        );
        if (rows[0]?.locked === true && this.isCurrent(client)) this.transition(true);
      }
    } catch (error) {
      this.options.logger.warn({ err: error }, 'leadership: the job database cannot be reached');
      if (this.client !== undefined) this.lost(this.client);
    }
    // Read again: close() may have run meanwhile.
    if (this.isOpen()) this.scheduleAttempt();
  }

  private scheduleAttempt(): void {
    this.timer = setTimeout(() => void this.attempt(), this.options.intervalMs);
    this.timer.unref();
  }

  private isOpen(): boolean {
    return !this.closed;
  }

  /** Whether `client` is still the session this open leadership competes with. */
  private isCurrent(client: pg.Client): boolean {
    return this.isOpen() && this.client === client;
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      ...this.options.connection,
      keepAlive: true,
      query_timeout: Math.max(5_000, this.options.intervalMs * 5),
    });
    client.on('error', () => {
      this.lost(client);
    });
    client.on('end', () => {
      this.lost(client);
    });
    this.client = client;
    try {
      await client.connect();
    } catch (error) {
      this.client = undefined;
      await client.end().catch(() => undefined);
      throw error;
    }
    return client;
  }

  /** The session is gone, and the lock with it. */
  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    if (this.leading) this.transition(false);
  }

  private transition(leading: boolean): void {
    this.leading = leading;
    this.transitions = this.transitions
      .then(() => this.onChange(leading))
      .catch((error: unknown) => {
        this.options.logger.error({ err: error }, 'leadership: a change of leader failed');
      });
  }
}
