// The thread that prunes the SQLite store's change log (see src/store/sqliteEventPruning.ts).
// It deletes the changes with ids up to `upTo` in slices by id range, each followed by a rest as
// long as the slice took, so that a writer of the server waiting on the lock takes it. The WAL
// checkpoints its slices call for run on this connection (SQLite checkpoints on the commit that
// fills the WAL past 1,000 pages), almost never on the server's.
// Plain JavaScript on purpose, like the driver spawner: a worker cannot load the TypeScript
// sources the tests run from.
//
// workerData: { file, upTo, sliceRows, signal }; `signal` is a SharedArrayBuffer whose first
// Int32 becomes 1 when the pass must end after its current slice.
// Message out: the number of changes deleted.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

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
