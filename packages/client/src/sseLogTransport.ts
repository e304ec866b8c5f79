import { LogStreamChunkSchema } from '@jobs/contract';
import { abortableDelay } from './abortableDelay.js';
import type { JobLogTransport } from './jobLogTransport.js';
import { isWorthRetrying, readServerSentEvents } from './serverSentEvents.js';

const MAX_RECONNECTS = 5;
const RECONNECT_DELAY_MS = 1_000;
// The server sends a comment at least every 15 s while a job is quiet.
const IDLE_TIMEOUT_MS = 45_000;

/**
 * Follows a log through the server's Server-Sent Events stream: one request that receives the
 * log so far and then each new piece as it is written. A dropped connection is resumed from
 * the last byte received (Last-Event-ID), so nothing is repeated or skipped.
 */
export const sseLogTransport: JobLogTransport = async function* (
  client,
  submissionId,
  { signal, fromOffset },
) {
  const { baseUrl, headers } = client.connection;
  const url = `${baseUrl}/api/jobs/${encodeURIComponent(submissionId)}/logs/stream`;
  let resumeFrom = fromOffset === undefined || fromOffset === 0 ? undefined : String(fromOffset);
  let failures = 0;
  for (;;) {
    try {
      const events = readServerSentEvents({
        url,
        headers,
        lastEventId: resumeFrom,
        signal,
        idleTimeoutMs: IDLE_TIMEOUT_MS,
      });
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
      if (!isWorthRetrying(error) || signal?.aborted || ++failures > MAX_RECONNECTS) throw error;
    }
    await abortableDelay(RECONNECT_DELAY_MS, signal);
  }
};
