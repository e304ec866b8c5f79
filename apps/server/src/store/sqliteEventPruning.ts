import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Changes deleted per transaction: a write of the server waits for at most one such slice. */
const SLICE_ROWS = 200;

/**
 * The worker's program, as JavaScript source: it runs from the compiled server and from its
 * TypeScript sources under test alike, and a worker cannot load a .ts file. It deletes the
 * changes with ids up to `upTo` in slices by id range, each followed by a rest as long as the
 * slice took, so that a writer of the server waiting on the lock takes it. The WAL checkpoints
 * its slices call for run on this connection (SQLite checkpoints on the commit that fills the
 * WAL past 1,000 pages), almost never on the server's.
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const { file, upTo, sliceRows, signal } = workerData;
const stop = new Int32Array(signal);
const db = new Database(file, { fileMustExist: true });
let deleted = 0;
try {
  db.pragma('busy_timeout = 5000');
  // A slice lost to a power cut is only pruned again.
  db.pragma('synchronous = NORMAL');
  const oldest = db.prepare('SELECT min(id) AS id FROM job_events');
  const slice = db.prepare('DELETE FROM job_events WHERE id >= ? AND id < ? AND id <= ?');
  let from = oldest.get().id;
  while (from !== null && from <= upTo && Atomics.load(stop, 0) === 0) {
    const started = performance.now();
    deleted += slice.run(from, from + sliceRows, upTo).changes;
    from += sliceRows;
    Atomics.wait(stop, 0, 0, Math.max(1, performance.now() - started));
  }
} finally {
  db.close();
}
parentPort.postMessage(deleted);
`;

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
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: {
      file,
      upTo,
      sliceRows: SLICE_ROWS,
      signal,
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
    },
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
