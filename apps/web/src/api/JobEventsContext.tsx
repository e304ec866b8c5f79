import type { JobEvent, JobEventsConnection } from '@jobs/client';
import {
  type ReactNode,
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { isAbort } from './describeError.js';
import type { JobsApi } from './jobsApi.js';
import { usePageVisible } from './usePageVisible.js';

export type JobEventListener = (event: JobEvent) => void;

export interface JobEventsValue {
  /** Calls `listener` with every change to any job until the returned function is called. */
  subscribe: (listener: JobEventListener) => () => void;
  /**
   * Goes up each time the stream opens from scratch (not resuming after the last event), so
   * changes made before may have been missed: whatever was read before should be read again.
   */
  generation: number;
  /**
   * The stream's state: waiting to connect, live, reconnecting after losing the server, or
   * paused while the tab is hidden.
   */
  connection:
    | JobEventsConnection
    | { state: 'connecting' }
    | { state: 'paused' }
    | { state: 'failed'; error: unknown };
}

const JobEventsContext = createContext<JobEventsValue | undefined>(undefined);

/**
 * One stream of job changes for the whole tab, shared by every page that shows jobs: they
 * subscribe to it instead of reading the server again on a timer. While the tab is hidden the
 * stream is closed (browsers allow only a few connections per server, and background tabs
 * would hold them); when it is shown again, the stream resumes after the last change received,
 * so the changes made meanwhile arrive then.
 */
export function JobEventsProvider(props: {
  api: JobsApi;
  reportError: (error: unknown) => void;
  children: ReactNode;
}) {
  const { api, reportError } = props;
  const listeners = useRef(new Set<JobEventListener>());
  /** Where to resume after the tab was hidden: the last change received, and its store. */
  const lastEventId = useRef<number>(undefined);
  const store = useRef<string>(undefined);
  const visible = usePageVisible();
  const [generation, setGeneration] = useState(0);
  const [connection, setConnection] = useState<JobEventsValue['connection']>({
    state: 'connecting',
  });

  useEffect(() => {
    lastEventId.current = undefined;
    store.current = undefined;
  }, [api]);

  useEffect(() => {
    if (!visible) {
      setConnection({ state: 'paused' });
      return;
    }
    const controller = new AbortController();
    setConnection({ state: 'connecting' });
    const follow = async () => {
      try {
        const events = api.followEvents(
          controller.signal,
          (next) => {
            setConnection(next);
            if (next.state === 'open') {
              // After a reset the stream goes on from an id no job event carried.
              if (next.lastEventId !== undefined) lastEventId.current = next.lastEventId;
              store.current = next.store;
              if (next.fresh) setGeneration((n) => n + 1);
            }
          },
          lastEventId.current === undefined
            ? undefined
            : { lastEventId: lastEventId.current, store: store.current },
        );
        for await (const event of events) {
          lastEventId.current = event.event_id;
          for (const listener of listeners.current) listener(event);
        }
      } catch (error) {
        if (controller.signal.aborted || isAbort(error)) return;
        setConnection({ state: 'failed', error });
        reportError(error);
      }
    };
    void follow();
    return () => {
      controller.abort();
    };
  }, [api, reportError, visible]);

  const subscribe = useCallback((listener: JobEventListener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);
  const value = useMemo<JobEventsValue>(
    () => ({ subscribe, generation, connection }),
    [subscribe, generation, connection],
  );
  return <JobEventsContext.Provider value={value}>{props.children}</JobEventsContext.Provider>;
}

export function useJobEvents(): JobEventsValue {
  const value = useContext(JobEventsContext);
  if (value === undefined) throw new Error('useJobEvents needs a JobEventsProvider above it');
  return value;
}
