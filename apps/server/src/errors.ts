import type { ErrorCode } from '@jobs/contract';

/** A failure the API reports to its caller; `code` decides the HTTP status (see http/errorResponse.ts). */
export class JobsError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidRequestError extends JobsError {
  constructor(message: string) {
    super('INVALID_REQUEST', message);
  }
}

export class JobNotFoundError extends JobsError {
  constructor(readonly submissionId: string) {
    super('JOB_NOT_FOUND', `No job with submission_id '${submissionId}' exists.`);
  }
}

export class JobAlreadyExistsError extends JobsError {
  constructor(readonly submissionId: string) {
    super(
      'JOB_ALREADY_EXISTS',
      `A job with submission_id '${submissionId}' already exists with a different request; choose another id or omit it.`,
    );
  }
}
