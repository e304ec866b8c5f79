import {
  type JobEvent,
  JobEventSchema,
  JobEventsResetSchema,
  JOBS_STORE_HEADER,
} from '@jobs/contract';
import { abortableDelay } from './abortableDelay.js';
import type { JobsClient } from './createJobsClient.js';
import { isWorthRetrying, readServerSentEvents } from './serverSentEvents.js';

/** What a follower knows about its connection, for showing "live" or "reconnecting". */
export type JobEventsConnection =
  | {
      state: 'open';
      /**
       * False when the stream goes on right after the last event received. True when it starts
       * afresh: on the first connection, or when the server no longer had the changes missed
       * (it keeps only the latest ones) and sent a reset. Whatever was read before may then be
       * stale: read it again.
       */
      fresh: boolean;
      /** The event the stream goes on after, when known (the one to resume after later). */
      lastEventId: number | undefined;
      /** The store the server says its event ids belong to (pass it back with `lastEventId`). */
      store: string | undefined;
    }
  | { state: 'reconnecting'; error: unknown; attempt: number };

export interface FollowJobEventsOptions {
  /** Aborting it ends the iteration (rejecting with the signal's reason). */
  signal?: AbortSignal;
  /** Start after this event; without it, the stream starts with the next change. */
  lastEventId?: number;
  /**
   * The store `lastEventId` is of, as an earlier `onConnection` said: a server that has another
   * store since starts the stream with a reset (`fresh: true`) rather than resume in it.
   */
  store?: string;
  /** Told each time the stream opens and each time it is lost. */
  onConnection?: (connection: JobEventsConnection) => void;
  /** Reconnections in a row before giving up and throwing. Default: never give up. */
  maxReconnects?: number;
  /** Wait before the first reconnection, doubled each time up to 10 s. Default 500 ms. */
  reconnectDelayMs?: number;
}

// The server sends a comment every 15 s while nothing changes.
const IDLE_TIMEOUT_MS = 45_000;
const MAX_RECONNECT_DELAY_MS = 10_000;

/**
 * Every change to any job as it happens (created, status_changed, updated, deleted, each with
 * the job as it is after the change), from the server's event stream. A lost connection is
 * reopened after the last event received (Last-Event-ID), so no change is skipped or repeated,
 * even across a server restart; when the server no longer has the changes missed, `onConnection`
 * says so (`fresh: true`). Reconnects after a lost connection and after 5xx or 429 answers;
 * throws a `JobsApiError` for any other answer (such as 401), and the parse error of an event
 * it cannot read (a client older than the server).
 *
 * ```ts
 * for await (const event of followJobEvents(client)) console.log(event.type, event.job.status);
 * ```
 */
export async function* followJobEvents(
  client: JobsClient,
  options: FollowJobEventsOptions = {},
): AsyncGenerator<JobEvent, void, undefined> {
  const { signal, onConnection } = options;
  const maxReconnects = options.maxReconnects ?? Infinity;
  const firstDelay = options.reconnectDelayMs ?? 500;
  const url = `${client.connection.baseUrl}/api/job-events`;
  let lastEventId = options.lastEventId;
  // The store the ids belong to, as the server named it: sent back when resuming, so a server
  // that has another store since (a replaced data dir) starts afresh instead.
  let store = options.store;
  let failures = 0;
  for (;;) {
    const resumed = lastEventId !== undefined;
    try {
      const events = readServerSentEvents({
        url,
        headers: {
          ...client.connection.headers,
          ...(store === undefined || lastEventId === undefined
            ? {}
            : { [JOBS_STORE_HEADER]: store }),
        },
        lastEventId: lastEventId === undefined ? undefined : String(lastEventId),
        signal,
        idleTimeoutMs: IDLE_TIMEOUT_MS,
        onOpen: (response) => {
          store = response.headers.get(JOBS_STORE_HEADER) ?? undefined;
          onConnection?.({ state: 'open', fresh: !resumed, lastEventId, store });
        },
        // Only a stream that delivers something counts as working again: one that is accepted
        // and then dropped at once keeps backing off.
        onActivity: () => {
          failures = 0;
        },
      });
      for await (const message of events) {
        if (message.event === 'reset') {
          lastEventId = JobEventsResetSchema.parse(JSON.parse(message.data)).last_event_id;
          onConnection?.({ state: 'open', fresh: true, lastEventId, store });
          continue;
        }
        const event = JobEventSchema.parse(JSON.parse(message.data));
        lastEventId = event.event_id;
        yield event;
      }
    } catch (error) {
      // An answer such as 401, an abort, or an event this client cannot read is final.
      if (!isWorthRetrying(error) || signal?.aborted || failures >= maxReconnects) throw error;
      failures += 1;
      onConnection?.({ state: 'reconnecting', error, attempt: failures });
      const delay = Math.min(firstDelay * 2 ** (failures - 1), MAX_RECONNECT_DELAY_MS);
      await abortableDelay(delay, signal);
    }
  }
}
