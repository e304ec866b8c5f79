/**
 * The store cannot be reached now (a networked database down or restarting). Answered as 503
 * NOT_READY (http/errorResponse.ts): the request may be retried, nothing was half-done.
 */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}
