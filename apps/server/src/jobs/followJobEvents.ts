import type { JobQueries, StoredJobEvent } from '../store/jobQueries.js';

/** Events read from the store at a time: bounds memory when a client resumes far behind. */
const BATCH = 500;

/** What an events stream sends next. */
export type JobEventsItem =
  | { kind: 'event'; event: StoredJobEvent }
  /** Nothing happened for a while: time for a keep-alive. */
  | { kind: 'idle' }
  /**
   * The changes the client asked to resume after are gone (pruned, or never recorded by this
   * store): it must read again what it holds. The stream goes on after event `latest`.
   */
  | { kind: 'reset'; latest: number };

/**
 * A reset when the change log no longer holds the change after `last` (pruned), or `last` is
 * past its latest change (an id of another store); undefined when reading on is safe.
 */
async function resetNeeded(
  queries: JobQueries,
  last: number,
): Promise<Extract<JobEventsItem, { kind: 'reset' }> | undefined> {
  const { oldest, latest } = await queries.eventBounds();
  const pruned = last < (oldest ?? latest + 1) - 1;
  return last > latest || pruned ? { kind: 'reset', latest } : undefined;
}

/**
 * Every change recorded after event `afterId`, in order, then each new one as it is committed,
 * until `signal` aborts; `idle` after `idleMs` without a change. Reads from the durable log, so
 * nothing is lost between catching up and going live; when the log no longer holds what comes
 * after `afterId`, says so with a `reset` instead of skipping changes silently.
 */
export async function* followJobEvents(
  queries: JobQueries,
  afterId: number,
  signal: AbortSignal,
  idleMs: number,
  /** The client's ids are of another store: start with a reset whatever `afterId` is. */
  resetFirst = false,
): AsyncGenerator<JobEventsItem> {
  let last = afterId;
  if (resetFirst) {
    const { latest } = await queries.eventBounds();
    last = latest;
    yield { kind: 'reset', latest };
  }
  let changed = true;
  let wake: (() => void) | undefined;
  const unsubscribe = queries.onChange(() => {
    changed = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort);
  try {
    while (!signal.aborted) {
      if (changed) {
        changed = false;
        let events: StoredJobEvent[];
        do {
          events = await queries.eventsAfter(last, BATCH);
          // Not the change right after `last` (nothing new, or pruned past it, at the start or
          // between two batches of a slow reader, or an id of another store): look closer.
          if (events[0]?.id !== last + 1) {
            const gap = await resetNeeded(queries, last);
            if (gap !== undefined) {
              last = gap.latest;
              yield gap;
              continue;
            }
          }
          for (const event of events) {
            last = event.id;
            yield { kind: 'event', event };
          }
        } while (events.length === BATCH);
        continue;
      }
      let timer: NodeJS.Timeout | undefined;
      const woken = await new Promise<boolean>((resolve) => {
        wake = () => {
          resolve(true);
        };
        timer = setTimeout(() => {
          resolve(false);
        }, idleMs);
      });
      clearTimeout(timer);
      wake = undefined;
      if (!woken) yield { kind: 'idle' };
    }
  } finally {
    unsubscribe();
    signal.removeEventListener('abort', onAbort);
  }
}
