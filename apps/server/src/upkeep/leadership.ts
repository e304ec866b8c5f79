import type { Logger } from 'pino';

/** Work that must run on one server at a time: started when this server leads, stopped when it no longer does. */
export interface LeaderTask {
  readonly name: string;
  lead(): Promise<void> | void;
  /** Resolves once the task has stopped touching shared state. */
  standDown(): Promise<void>;
}

/** Which of the servers sharing a store does the once-only background work. */
export interface Leadership {
  readonly isLeader: boolean;
  /** Starts competing for leadership; `onChange` is called at every transition, never twice at once. */
  start(onChange: (leading: boolean) => Promise<void>): void;
  /** Stops competing and gives leadership up. */
  close(): Promise<void>;
}

/** A server alone on its store (SQLite, or PostgreSQL used exclusively) always leads. */
export class AlwaysLeader implements Leadership {
  private leading = false;
  private started: Promise<void> = Promise.resolve();
  private onChange: ((leading: boolean) => Promise<void>) | undefined;

  get isLeader(): boolean {
    return this.leading;
  }

  start(onChange: (leading: boolean) => Promise<void>): void {
    this.onChange = onChange;
    this.leading = true;
    this.started = onChange(true);
  }

  async close(): Promise<void> {
    await this.started;
    if (!this.leading) return;
    this.leading = false;
    await this.onChange?.(false);
  }
}

/**
 * Starts the tasks when `leadership` says this server leads and stops them when it no longer
 * does, logging each transition and telling `onChange`. Returns what stops competing and stops
 * the tasks.
 */
export function runWhileLeading(
  leadership: Leadership,
  tasks: readonly LeaderTask[],
  logger: Logger,
  onChange: (leading: boolean) => void,
): () => Promise<void> {
  const names = tasks.map((task) => task.name);
  logger.info(
    { leader: false, tasks: names },
    'this server runs the once-only upkeep only while it leads',
  );
  leadership.start(async (leading) => {
    onChange(leading);
    if (leading) {
      logger.info(
        { leader: true, tasks: names },
        'this server leads: it runs the once-only upkeep',
      );
      for (const task of tasks) await task.lead();
      return;
    }
    logger.info(
      { leader: false, tasks: names },
      'this server no longer leads: upkeep stopped here',
    );
    await Promise.all(tasks.map((task) => task.standDown()));
  });
  return () => leadership.close();
}
