import type { CopyColumn, CopyRow } from './copyBinaryParser.js';

/** Runs one statement on the pool, a connection error turned into StoreUnavailableError. */
export type RunQuery = <R extends object>(sql: string, params?: unknown[]) => Promise<R[]>;

/**
 * Runs one query on the pool as COPY in binary (postgresCopyRows.ts), its parameters written
 * into it as literals; a connection error turned into StoreUnavailableError.
 */
export type RunCopy = (
  sql: string,
  params: readonly unknown[],
  columns: readonly CopyColumn[],
) => Promise<CopyRow[]>;
