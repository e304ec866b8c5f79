import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { type CopiedPosition, CopyJsonCompactor } from './copyJsonCompactor.js';

/** One read of the unpaged list: its JSON in pieces, how many rows, and the last one's position. */
export interface CopiedJson {
  pieces: Buffer[];
  rows: number;
  last: CopiedPosition | undefined;
}

/**
 * The JSON texts of `select` (seq, duration, then the JSON; no parameters) joined by commas, read
 * with `COPY ... TO STDOUT (FORMAT binary)` on a pool connection held only for it
 * (copyJsonCompactor.ts): pieces of the bytes PostgreSQL sent, rewritten in place. With
 * `commaFirst`, a comma comes before the first text too. A connection that saw a COPY fail is
 * closed, not handed back.
 */
export async function postgresCopyJson(
  pool: pg.Pool,
  select: string,
  commaFirst: boolean,
): Promise<CopiedJson> {
  const client = await pool.connect();
  let failed = false;
  try {
    const compactor = new CopyJsonCompactor(commaFirst);
    const pieces: Buffer[] = [];
    for await (const chunk of client.query(copyTo(`COPY (${select}) TO STDOUT (FORMAT binary)`))) {
      const piece = compactor.push(chunk as Buffer);
      if (piece.length > 0) pieces.push(piece);
    }
    compactor.end();
    return { pieces, rows: compactor.rows, last: compactor.last };
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    client.release(failed);
  }
}
