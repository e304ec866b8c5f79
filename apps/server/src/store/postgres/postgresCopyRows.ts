import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { type CopyColumn, CopyBinaryParser, type CopyRow } from './copyBinaryParser.js';

/**
 * The rows of `select` (no parameters) read with `COPY ... TO STDOUT (FORMAT binary)` on a pool
 * connection held only for it: the fields as the bytes PostgreSQL sent, never decoded into
 * strings. A connection that saw a COPY fail is closed, not handed back.
 */
export async function postgresCopyRows(
  pool: pg.Pool,
  select: string,
  columns: readonly CopyColumn[],
): Promise<CopyRow[]> {
  const client = await pool.connect();
  let failed = false;
  try {
    const parser = new CopyBinaryParser(columns);
    const rows: CopyRow[] = [];
    for await (const chunk of client.query(copyTo(`COPY (${select}) TO STDOUT (FORMAT binary)`))) {
      for (const row of parser.push(chunk as Buffer)) rows.push(row);
    }
    parser.end();
    return rows;
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    client.release(failed);
  }
}
