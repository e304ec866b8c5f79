import type { CopiedJson } from './postgresCopyJson.js';

/** Runs one statement on the pool, a connection error turned into StoreUnavailableError. */
export type RunQuery = <R extends object>(sql: string, params?: unknown[]) => Promise<R[]>;

/**
 * Reads the JSON of one query of the unpaged list with COPY (postgresCopyJson.ts), its
 * parameters written into it as literals; a connection error turned into StoreUnavailableError.
 */
export type RunCopyJson = (
  sql: string,
  params: readonly unknown[],
  commaFirst: boolean,
) => Promise<CopiedJson>;
