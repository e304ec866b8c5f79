import { type EventSourceMessage, EventSourceParserStream } from 'eventsource-parser/stream';
import { JobsApiError } from './jobsApiError.js';

export interface ServerSentEventsRequest {
  url: string;
  headers: Record<string, string>;
  /** Sent as Last-Event-ID, so the server resumes after that event. */
  lastEventId?: string | undefined;
  signal?: AbortSignal | undefined;
  /**
   * When nothing at all (not even a keep-alive comment) arrives for this long, the connection
   * is taken for dead and the iteration throws a {@link ConnectionLostError}.
   */
  idleTimeoutMs?: number | undefined;
  /** Called once the server has answered 200 and the stream is open, with that answer. */
  onOpen?: ((response: Response) => void) | undefined;
  /** Called whenever bytes arrive (events or keep-alive comments). */
  onActivity?: (() => void) | undefined;
}

/** The stream broke or went silent: worth reconnecting, unlike an API error or an abort. */
export class ConnectionLostError extends Error {
  override readonly name = 'ConnectionLostError';
}

/**
 * Whether opening the stream again may succeed: the connection was lost, or the server (or a
 * proxy before it) answered that it is unavailable or busy. Other answers, such as 401 or 404,
 * would only be repeated.
 */
export function isWorthRetrying(error: unknown): boolean {
  if (error instanceof ConnectionLostError) return true;
  return error instanceof JobsApiError && (error.status >= 500 || error.status === 429);
}

async function errorOf(response: Response): Promise<JobsApiError> {
  const body: unknown = await response.json().catch(() => undefined);
  return JobsApiError.fromResponse({ status: response.status, body });
}

/**
 * One connection to a text/event-stream route, read with fetch (so headers such as a bearer
 * token can be sent, which EventSource cannot do). Yields each event until the server ends the
 * stream. Throws a `JobsApiError` for an answer other than 2xx, the signal's reason on abort, and
 * a `ConnectionLostError` when the connection breaks or stays silent too long.
 */
export async function* readServerSentEvents(
  request: ServerSentEventsRequest,
): AsyncGenerator<EventSourceMessage> {
  const { signal, idleTimeoutMs } = request;
  const connection = new AbortController();
  const abortConnection = () => {
    connection.abort(signal?.reason);
  };
  signal?.addEventListener('abort', abortConnection, { once: true });
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  // Set by the watchdog, read after the abort it causes.
  const idle = { expired: false };
  const resetWatchdog = () => {
    if (idleTimeoutMs === undefined) return;
    clearTimeout(watchdog);
    watchdog = setTimeout(() => {
      idle.expired = true;
      connection.abort();
    }, idleTimeoutMs);
  };
  try {
    signal?.throwIfAborted();
    resetWatchdog();
    const response = await fetch(request.url, {
      headers: {
        ...request.headers,
        accept: 'text/event-stream',
        ...(request.lastEventId === undefined ? {} : { 'last-event-id': request.lastEventId }),
      },
      signal: connection.signal,
    });
    if (!response.ok || response.body === null) throw await errorOf(response);
    request.onOpen?.(response);
    const events = response.body
      .pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            resetWatchdog();
            request.onActivity?.();
            controller.enqueue(chunk);
          },
        }),
      )
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(new EventSourceParserStream());
    for await (const event of events) yield event;
    throw new ConnectionLostError('The server closed the event stream.');
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (error instanceof JobsApiError || error instanceof ConnectionLostError) throw error;
    throw new ConnectionLostError(
      idle.expired
        ? `No data from the server for ${String(idleTimeoutMs)} ms.`
        : `The event stream broke: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  } finally {
    clearTimeout(watchdog);
    signal?.removeEventListener('abort', abortConnection);
    connection.abort();
  }
}
