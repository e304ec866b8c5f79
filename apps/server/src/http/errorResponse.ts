import { type ErrorBody, errorCodeStatus } from '@jobs/contract';
import { RequestValidationError } from '@ts-rest/express';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ZodError } from 'zod';
import { RateLimitedError } from '../access/accessErrors.js';
import { JobsError } from '../errors.js';
import { StoreUnavailableError } from '../store/storeUnavailableError.js';
import { ConcurrencyLimitError } from './concurrencyLimit.js';
import { describeZodError } from './describeZodError.js';

interface ErrorResponse {
  status: number;
  body: ErrorBody;
}

function respond(code: ErrorBody['code'], message: string): ErrorResponse {
  return { status: errorCodeStatus[code], body: { code, message } };
}

/** Errors body-parser raises, recognised by their `type`. */
function bodyParserError(
  error: unknown,
): { type: string; limit?: number; length?: number; message: string } | undefined {
  if (error instanceof Error && 'type' in error && typeof error.type === 'string') {
    return error as Error & { type: string; limit?: number; length?: number };
  }
  return undefined;
}

function validationMessage(error: RequestValidationError): string {
  const parts: [string, ZodError | null][] = [
    ['path', error.pathParams],
    ['headers', error.headers],
    ['query', error.query],
    ['body', error.body],
  ];
  const [where, zodError] = parts.find(([, e]) => e !== null) ?? ['request', null];
  return zodError ? describeZodError(where, zodError) : 'Invalid request.';
}

/** The one place where an error becomes an HTTP status and a JSON error body. */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof JobsError) return respond(error.code, error.message);
  if (error instanceof StoreUnavailableError) {
    return respond('NOT_READY', 'The job store cannot be reached right now; try again shortly.');
  }
  if (error instanceof RequestValidationError)
    return respond('INVALID_REQUEST', validationMessage(error));
  // Express fails to decode a path parameter like '%zz' with a URIError.
  if (error instanceof URIError) {
    return respond('INVALID_REQUEST', 'Invalid request: the path is not valid percent-encoding.');
  }
  const parserError = bodyParserError(error);
  switch (parserError?.type) {
    case 'entity.parse.failed':
      return respond('INVALID_JSON', `The request body is not valid JSON: ${parserError.message}.`);
    case 'entity.too.large':
      return respond(
        'PAYLOAD_TOO_LARGE',
        `The request body is ${parserError.length ?? 'over'} bytes, more than the limit of ${parserError.limit ?? '?'} bytes.`,
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return respond(
        'UNSUPPORTED_MEDIA_TYPE',
        `The request body's encoding is not supported: ${parserError.message}.`,
      );
    default:
      return respond(
        'INTERNAL_ERROR',
        'The server failed to answer this request; the error was logged.',
      );
  }
}

export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const { status, body } = toErrorResponse(error);
  if (status >= 500) req.log.error({ req, err: error }, 'request failed');
  if (error instanceof RateLimitedError || error instanceof ConcurrencyLimitError) {
    res.setHeader('retry-after', error.retryAfterSeconds);
  }
  if (error instanceof StoreUnavailableError) res.setHeader('retry-after', 1);
  res.status(status).json(body);
};

export const notFoundHandler: RequestHandler = (req, res) => {
  const { status, body } = respond('NOT_FOUND', `There is no route ${req.method} ${req.path}.`);
  res.status(status).json(body);
};

/** POST /api/jobs takes JSON only: a form or text body is refused, never guessed at. */
export const requireJsonBody: RequestHandler = (req, res, next) => {
  const length = Number(req.headers['content-length'] ?? 0);
  const hasBody = length > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is('application/json') && !req.is('+json')) {
    const { status, body } = respond(
      'UNSUPPORTED_MEDIA_TYPE',
      `The request body must be JSON (Content-Type: application/json), not '${req.headers['content-type'] ?? 'unspecified'}'.`,
    );
    res.status(status).json(body);
    return;
  }
  next();
};
