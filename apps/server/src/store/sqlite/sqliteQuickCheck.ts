import { once } from 'node:events';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Runs in the worker: its own read-only connection, so the server's event loop never waits. */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
try {
  parentPort.postMessage(db.pragma('quick_check').map((row) => row.quick_check));
} finally {
  db.close();
}
`;

const driver = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * The problems `PRAGMA quick_check` finds in an SQLite file (`['ok']` when there are none),
 * checked in a worker thread: the check reads every page, which takes seconds on a large store.
 */
export async function sqliteQuickCheck(file: string): Promise<string[]> {
  const worker = new Worker(workerSource, { eval: true, workerData: { driver, file } });
  try {
    // 'error' (an exception in the worker, e.g. SQLITE_CORRUPT) makes once() reject.
    const [problems] = (await once(worker, 'message')) as [string[]];
    return problems;
  } finally {
    await worker.terminate();
  }
}
