import { LogStreamChunkSchema } from '@jobs/contract';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { abortableDelay } from './abortableDelay.js';
import type { JobLogTransport } from './followJobLogs.js';
import { JobsApiError } from './jobsApiError.js';

const MAX_RECONNECTS = 5;
const RECONNECT_DELAY_MS = 1_000;

async function errorOf(response: Response): Promise<JobsApiError> {
  const body: unknown = await response.json().catch(() => undefined);
  return JobsApiError.fromResponse({ status: response.status, body });
}

/**
 * Follows a log through the server's Server-Sent Events stream: one request that receives the
 * log so far and then each new piece as it is written. A dropped connection is resumed from
 * the last byte received (Last-Event-ID), so nothing is repeated or skipped.
 */
export const sseLogTransport: JobLogTransport = async function* (client, submissionId, { signal }) {
  const { baseUrl, headers } = client.connection;
  const url = `${baseUrl}/api/jobs/${encodeURIComponent(submissionId)}/logs/stream`;
  let resumeFrom: string | undefined;
  let failures = 0;
  for (;;) {
    signal?.throwIfAborted();
    try {
      const response = await fetch(url, {
        headers: {
          ...headers,
          accept: 'text/event-stream',
          ...(resumeFrom === undefined ? {} : { 'last-event-id': resumeFrom }),
        },
        ...(signal ? { signal } : {}),
      });
      if (!response.ok || response.body === null) throw await errorOf(response);
      const events = response.body
        .pipeThrough(new TextDecoderStream())
        .pipeThrough(new EventSourceParserStream());
      for await (const event of events) {
        failures = 0;
        if (event.event === 'log') {
          resumeFrom = event.id;
          yield LogStreamChunkSchema.parse(JSON.parse(event.data)).text;
        } else if (event.event === 'end') {
          return;
        }
      }
    } catch (error) {
      // An answer of the API (404, 401, ...) or an abort is final; a broken connection is not.
      if (error instanceof JobsApiError || signal?.aborted || ++failures > MAX_RECONNECTS) {
        throw error;
      }
    }
    await abortableDelay(RECONNECT_DELAY_MS, signal);
  }
};
