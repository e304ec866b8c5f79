import { JobsError } from '../errors.js';

export class UnauthenticatedError extends JobsError {
  constructor(message: string) {
    super('UNAUTHENTICATED', message);
  }
}

export class ForbiddenError extends JobsError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

export class RateLimitedError extends JobsError {
  constructor(
    readonly retryAfterSeconds: number,
    message = `Too many requests for this token; retry after ${retryAfterSeconds} seconds.`,
  ) {
    super('RATE_LIMITED', message);
  }
}
