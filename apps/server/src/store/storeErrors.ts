/** The store file cannot be opened as a job store: the server must not start over it. */
export class StoreOpenError extends Error {}

/** The store answered, but its file failed an integrity check. */
export class StoreDamagedError extends Error {}
