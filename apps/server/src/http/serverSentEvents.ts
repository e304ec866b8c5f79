import { Readable } from 'node:stream';

export interface ServerSentEvent {
  id: string;
  /** The event's name; unnamed events are `message` events. */
  event?: string;
  /** Serialised to one `data:` line. */
  data: unknown;
}

/** How long a client should wait before reconnecting, sent once at the start. */
const RETRY_MS = 2_000;

async function* eventText(
  events: AsyncIterable<ServerSentEvent | undefined>,
): AsyncGenerator<string> {
  // Sent at once, so clients and proxies see the stream open before the first change.
  yield `retry: ${RETRY_MS}\n: connected\n\n`;
  for await (const event of events) {
    // undefined: nothing happened for a while; a comment keeps idle proxies from closing it.
    yield event === undefined
      ? ': keep-alive\n\n'
      : `${event.event === undefined ? '' : `event: ${event.event}\n`}id: ${event.id}\ndata: ${JSON.stringify(event.data)}\n\n`;
  }
}

/** A text/event-stream body (the EventSource wire format) from a sequence of events. */
export function serverSentEventStream(
  events: AsyncIterable<ServerSentEvent | undefined>,
): Readable {
  return Readable.from(eventText(events), { objectMode: false });
}
