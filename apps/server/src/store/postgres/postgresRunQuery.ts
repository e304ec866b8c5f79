/** Runs one statement on the pool, a connection error turned into StoreUnavailableError. */
export type RunQuery = <R extends object>(sql: string, params?: unknown[]) => Promise<R[]>;
