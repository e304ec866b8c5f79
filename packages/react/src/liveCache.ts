import {
  type JobEvent,
  type JobEventsConnection,
  type JobsClient,
  followJobEvents,
} from '@jobs/client';
import type { QueryClient } from '@tanstack/react-query';
import type { JobEventBus } from './jobEventBus.js';
import { jobKeys } from './jobKeys.js';
import { applyJobEventToPages, newerSnapshot } from './jobPages.js';
import type { JobListData, JobView } from './queries.js';

/** Counts are read again at most this often while jobs keep changing. */
const summaryRefreshMs = 300;

/**
 * One change to one job, applied to everything cached about it: every cached list's pages are
 * patched (the job joins, moves on or leaves, by the list's own filter), the job's own entry
 * takes the newer snapshot, and its logs are read again when its status changes.
 */
export function applyJobEventToCache(queryClient: QueryClient, event: JobEvent): void {
  const id = event.job.submission_id;
  queryClient.setQueriesData<JobListData>({ queryKey: jobKeys.lists() }, (data) => {
    if (data === undefined) return data;
    const pages = applyJobEventToPages(data.pages, event, { insert: true });
    return pages === data.pages ? data : { ...data, pages };
  });
  queryClient.setQueryData<JobView>(jobKeys.job(id), (view) => {
    if (view === undefined) return view;
    if (event.type === 'deleted') return { ...view, deleted: true };
    const job = newerSnapshot(view.job, event.job);
    return job === view.job ? view : { ...view, job };
  });
  if (event.type === 'status_changed') {
    void queryClient.invalidateQueries({ queryKey: jobKeys.logs(id) });
  }
}

/** Where a stream stopped: the last event received and the store its id belongs to. */
export interface JobEventsResume {
  lastEventId: number;
  store: string | undefined;
}

export interface FollowIntoCacheOptions {
  client: JobsClient;
  queryClient: QueryClient;
  events: JobEventBus;
  signal: AbortSignal;
  /** Go on after this event instead of from the next change. */
  resume?: JobEventsResume | undefined;
  onConnection?: (connection: JobEventsConnection) => void;
  /** Told after each event, with where to resume from. */
  onResumePoint?: (resume: JobEventsResume) => void;
}

/**
 * Follows the server's job events and keeps the cache current with them until `signal` aborts
 * (rejecting with its reason) or the stream fails for good (a 401, say). Each time the stream
 * starts afresh (first connection, or a gap the server could not fill), everything cached is
 * invalidated, since changes may have been missed.
 */
export async function followJobEventsIntoCache(options: FollowIntoCacheOptions): Promise<void> {
  const { client, queryClient, events, signal, resume } = options;
  let store = resume?.store;
  let summaryTimer: ReturnType<typeof setTimeout> | undefined;
  const refreshSummariesSoon = () => {
    summaryTimer ??= setTimeout(() => {
      summaryTimer = undefined;
      void queryClient.invalidateQueries({ queryKey: jobKeys.summaries() });
    }, summaryRefreshMs);
  };
  try {
    const stream = followJobEvents(client, {
      signal,
      ...(resume === undefined ? {} : { lastEventId: resume.lastEventId }),
      ...(resume?.store === undefined ? {} : { store: resume.store }),
      onConnection: (connection) => {
        if (connection.state === 'open') {
          store = connection.store;
          // After a reset the stream goes on from an id no job event carried.
          if (connection.lastEventId !== undefined) {
            options.onResumePoint?.({ lastEventId: connection.lastEventId, store });
          }
          if (connection.fresh) void queryClient.invalidateQueries({ queryKey: jobKeys.all });
        }
        options.onConnection?.(connection);
      },
    });
    for await (const event of stream) {
      events.publish(event);
      applyJobEventToCache(queryClient, event);
      refreshSummariesSoon();
      options.onResumePoint?.({ lastEventId: event.event_id, store });
    }
  } finally {
    clearTimeout(summaryTimer);
  }
}
