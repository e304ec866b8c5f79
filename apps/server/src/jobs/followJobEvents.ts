import type { JobQueries, StoredJobEvent } from '../store/jobQueries.js';

/** Events read from the store at a time: bounds memory when a client resumes far behind. */
const BATCH = 500;

/**
 * Every change recorded after event `afterId`, in order, then each new one as it is committed,
 * until `signal` aborts. Yields `undefined` after `idleMs` without a change (time for a
 * keep-alive). Reads from the durable log, so nothing is lost between catching up and going live.
 */
export async function* followJobEvents(
  queries: JobQueries,
  afterId: number,
  signal: AbortSignal,
  idleMs: number,
): AsyncGenerator<StoredJobEvent | undefined> {
  let last = afterId;
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
          for (const event of events) {
            last = event.id;
            yield event;
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
      if (!woken) yield undefined;
    }
  } finally {
    unsubscribe();
    signal.removeEventListener('abort', onAbort);
  }
}
