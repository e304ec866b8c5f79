import { type JobEvent, JobEventSchema, JobEventsResetSchema } from '@jobs/contract';
import { waitFor } from './waitFor.js';

export interface EventStreamClient {
  status: number;
  contentType: string | null;
  headers: Headers;
  /** Every event received so far, parsed against the contract. */
  events: JobEvent[];
  /** Each `reset` event received, with how many job events had arrived before it. */
  resets: { lastEventId: number; afterEvents: number }[];
  /** Waits until at least `count` events have arrived and returns them. */
  waitForEvents(count: number): Promise<JobEvent[]>;
  close(): void;
}

type ParsedEvent = { kind: 'job'; event: JobEvent } | { kind: 'reset'; lastEventId: number };

function parseEvent(block: string): ParsedEvent | undefined {
  let id: string | undefined;
  let name = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('id: ')) id = line.slice(4);
    else if (line.startsWith('event: ')) name = line.slice(7);
    else if (line.startsWith('data: ')) data.push(line.slice(6));
  }
  if (data.length === 0) return undefined;
  if (name === 'reset') {
    const reset = JobEventsResetSchema.parse(JSON.parse(data.join('\n')));
    if (id !== String(reset.last_event_id)) throw new Error(`reset id ${id} differs from its data`);
    return { kind: 'reset', lastEventId: reset.last_event_id };
  }
  if (name !== 'message') throw new Error(`unexpected event name ${name}`);
  const event = JobEventSchema.parse(JSON.parse(data.join('\n')));
  if (id !== String(event.event_id)) throw new Error(`event id ${id} differs from its data`);
  return { kind: 'job', event };
}

/** Reads a text/event-stream over real HTTP the way an EventSource would, for tests. */
export async function openEventStream(
  url: string,
  headers: Record<string, string> = {},
): Promise<EventStreamClient> {
  const abort = new AbortController();
  const response = await fetch(url, { headers, signal: abort.signal });
  const events: JobEvent[] = [];
  const resets: EventStreamClient['resets'] = [];
  let failure: Error | undefined;
  if (response.ok && response.body !== null) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const parsed = parseEvent(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (parsed?.kind === 'job') events.push(parsed.event);
          else if (parsed?.kind === 'reset') {
            resets.push({ lastEventId: parsed.lastEventId, afterEvents: events.length });
          }
        }
      }
    })().catch((error: unknown) => {
      if (!abort.signal.aborted)
        failure = error instanceof Error ? error : new Error(String(error));
    });
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    headers: response.headers,
    events,
    resets,
    waitForEvents: (count) =>
      waitFor(`${count} events (have ${events.length})`, () => {
        if (failure !== undefined) throw failure;
        return events.length >= count ? events.slice() : undefined;
      }),
    close: () => {
      abort.abort();
    },
  };
}
