import { openSync, closeSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';

/**
 * Overwrites the first `fraction` of the leaf pages of table `jobs` in a store file (in key
 * order: the oldest jobs) with 0xff bytes, as a failing disk would, leaving the header, the
 * schema and the indexes intact: 0xff is no page type, so every read of them fails. Returns how
 * many pages it overwrote.
 *
 * A server with the file open keeps reading the pages it cached; restarting the WAL (a write, a
 * truncating checkpoint, a write) makes every connection drop its cache, as memory pressure or
 * a restart would.
 */
export function damageJobPages(file: string, fraction: number): number {
  const db = new Database(file, { readonly: true });
  let pages: number[];
  let pageSize: number;
  try {
    pageSize = db.pragma('page_size', { simple: true }) as number;
    pages = (
      db
        .prepare(
          `SELECT pageno FROM dbstat WHERE name = 'jobs' AND pagetype = 'leaf' ORDER BY path`,
        )
        .all() as { pageno: number }[]
    ).map((row) => row.pageno);
  } finally {
    db.close();
  }
  const damaged = pages.slice(0, Math.max(1, Math.floor(pages.length * fraction)));
  const fd = openSync(file, 'r+');
  try {
    for (const page of damaged)
      writeSync(fd, Buffer.alloc(pageSize, 0xff), 0, pageSize, (page - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
  const writer = new Database(file);
  try {
    const write = writer.prepare('UPDATE store_identity SET id = id');
    write.run();
    writer.pragma('wal_checkpoint(TRUNCATE)');
    write.run();
  } finally {
    writer.close();
  }
  return damaged.length;
}
