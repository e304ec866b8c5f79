import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** Changes deleted per transaction: a write of the server waits for at most one such slice. */
const SLICE_ROWS = 200;

/** Same relative path from src/store and dist/store. */
const prunerPath = fileURLToPath(new URL('../../../bin/sqlite-event-pruner.mjs', import.meta.url));

/** A pass of pruning running on a thread of its own, which the store can stop when it closes. */
export interface PruningPass {
  /** How many changes the pass deleted. */
  readonly done: Promise<number>;
  /** Ends the pass after its current slice; resolves once its connection is closed. */
  stop(): Promise<void>;
}

/**
 * Deletes the changes with ids up to `upTo` from the store file on a worker thread with its
 * own connection. better-sqlite3 is synchronous: on the server's thread every slice, and the
 * WAL checkpoints its commits set off, held up every request meanwhile (hundreds of ms for a
 * checkpoint). On the worker, the server's reads never wait (WAL), and a write waits for one
 * slice at most.
 */
export function pruneEventsInWorker(file: string, upTo: number): PruningPass {
  const signal = new SharedArrayBuffer(4);
  const worker = new Worker(prunerPath, {
    workerData: { file, upTo, sliceRows: SLICE_ROWS, signal },
  });
  const done = new Promise<number>((resolve, reject) => {
    let deleted = 0;
    worker.once('message', (count: number) => (deleted = count));
    worker.once('error', reject);
    worker.once('exit', () => {
      resolve(deleted);
    });
  });
  return {
    done,
    async stop() {
      Atomics.store(new Int32Array(signal), 0, 1);
      Atomics.notify(new Int32Array(signal), 0);
      await done.catch(() => undefined);
    },
  };
}
