/**
 * The one error the client's helpers throw for an answer other than 2xx. `status` is the HTTP
 * status; `code` and `message` come from the API's error body (`{ code, message }`), so `code` is
 * one of the contract's error codes unless something other than the Jobs API answered (a proxy,
 * say), in which case it is `UNEXPECTED_RESPONSE`.
 */
export class JobsApiError extends Error {
  override readonly name = 'JobsApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  /** Builds the error from a non-2xx `{ status, body }` answer of a client method. */
  static fromResponse(response: { status: number; body: unknown }): JobsApiError {
    const { status, body } = response;
    if (isErrorBody(body)) return new JobsApiError(status, body.code, body.message);
    return new JobsApiError(
      status,
      'UNEXPECTED_RESPONSE',
      `The server answered HTTP ${status} without a Jobs API error body.`,
    );
  }
}

function isErrorBody(body: unknown): body is { code: string; message: string } {
  if (typeof body !== 'object' || body === null) return false;
  const { code, message } = body as Record<string, unknown>;
  return typeof code === 'string' && typeof message === 'string';
}

type SuccessStatus = 200 | 201 | 202 | 204;

/**
 * The body of a 2xx answer, typed for it; any other answer throws a {@link JobsApiError}.
 * Use it when a non-2xx answer is exceptional for the caller:
 * `const job = okBody(await client.getJob({ params: { submission_id } }))`.
 */
export function okBody<R extends { status: number; body: unknown }>(
  response: R,
): Extract<R, { status: SuccessStatus }>['body'] {
  if (response.status >= 200 && response.status < 300) {
    return (response as Extract<R, { status: SuccessStatus }>).body;
  }
  throw JobsApiError.fromResponse(response);
}
