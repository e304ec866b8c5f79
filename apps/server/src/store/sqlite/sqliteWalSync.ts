import { closeSync, fdatasync, openSync } from 'node:fs';

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Makes the store's WAL durable from the thread pool, not the event loop. The store commits
 * with `synchronous = NORMAL`, which in WAL mode writes each commit to the WAL without syncing
 * it (checkpoints still sync both files, and SQLite syncs the WAL header when it reuses the
 * file); a change is answered only once an fdatasync of the WAL that began after its commit has
 * returned, so it survives a power cut as it did with `FULL`, while the server goes on serving.
 * Syncs asked for while one runs share the next one.
 */
export class SqliteWalSync {
  private fd: number | undefined;
  private running: Promise<void> | undefined;
  private waiting: Waiter[] = [];

  constructor(private readonly walFile: string) {}

  /** Resolves once everything committed before the call is on disk. */
  sync(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (this.running === undefined) this.startNext();
    });
  }

  /** Waits for the syncs asked for, then lets go of the file. */
  async close(): Promise<void> {
    while (this.running !== undefined) await this.running;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private startNext(): void {
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    this.running = new Promise<void>((done) => {
      const settle = (error: unknown) => {
        this.running = undefined;
        for (const waiter of batch) {
          if (error === null) waiter.resolve();
          else waiter.reject(error);
        }
        done();
        this.startNext();
      };
      try {
        // Opened once there is a commit to sync: the WAL exists from then on, for as long as
        // the store's connection is open.
        this.fd ??= openSync(this.walFile, 'r');
        fdatasync(this.fd, settle);
      } catch (error) {
        // After `running` is set, which happens once this executor returns.
        queueMicrotask(() => {
          settle(error);
        });
      }
    });
  }
}
