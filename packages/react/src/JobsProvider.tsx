import type { JobEventsConnection, JobsClient } from '@jobs/client';
import { type QueryClient, QueryClientProvider } from '@tanstack/react-query';
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
import { JobEventBus } from './jobEventBus.js';
import { type JobEventsResume, followJobEventsIntoCache } from './liveCache.js';
import type { JobsSource } from './queries.js';
import { usePageVisible } from './usePageVisible.js';

/**
 * The events stream's state: waiting to connect, live, reconnecting after losing the server,
 * paused while the page is hidden, or given up (an answer such as 401).
 */
export type JobEventsState =
  | JobEventsConnection
  | { state: 'connecting' }
  | { state: 'paused' }
  | { state: 'failed'; error: unknown };

interface JobsContextValue {
  source: JobsSource;
  connection: JobEventsState;
  onError: (error: unknown) => void;
}

const JobsContext = createContext<JobsContextValue | undefined>(undefined);

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export interface JobsProviderProps {
  /** The API the hooks talk to (base URL, token header): see `createJobsClient`. */
  client: JobsClient;
  /** Where the hooks cache what they read; its defaults (retries, error hooks) apply. */
  queryClient: QueryClient;
  /** Told of failures outside queries and mutations: the events stream's, a followed log's. */
  onError?: (error: unknown) => void;
  children: ReactNode;
}

/**
 * Gives the hooks below it their client and cache, and keeps that cache live: one stream of job
 * events for the whole page patches every cached list and job as changes happen, instead of
 * reading them again on a timer. While the page is hidden the stream is closed (browsers allow
 * few connections per server, and background tabs would hold them); when it is shown again the
 * stream resumes after the last change received, so the changes made meanwhile arrive then.
 */
export function JobsProvider(props: JobsProviderProps) {
  const { client, queryClient } = props;
  const onErrorRef = useRef(props.onError);
  onErrorRef.current = props.onError;
  const source = useMemo<JobsSource>(() => ({ client, events: new JobEventBus() }), [client]);
  const resume = useRef<JobEventsResume>(undefined);
  const visible = usePageVisible();
  const [connection, setConnection] = useState<JobEventsState>({ state: 'connecting' });

  useEffect(() => {
    resume.current = undefined;
  }, [source]);

  useEffect(() => {
    if (!visible) {
      setConnection({ state: 'paused' });
      return;
    }
    const controller = new AbortController();
    setConnection({ state: 'connecting' });
    followJobEventsIntoCache({
      client: source.client,
      queryClient,
      events: source.events,
      signal: controller.signal,
      resume: resume.current,
      onConnection: setConnection,
      onResumePoint: (point) => {
        resume.current = point;
      },
    }).catch((error: unknown) => {
      if (controller.signal.aborted || isAbort(error)) return;
      setConnection({ state: 'failed', error });
      onErrorRef.current?.(error);
    });
    return () => {
      controller.abort();
    };
  }, [source, queryClient, visible]);

  // Stable, so effects that report through it do not start over when the parent re-renders.
  const onError = useCallback((error: unknown) => {
    onErrorRef.current?.(error);
  }, []);
  const value = useMemo<JobsContextValue>(
    () => ({ source, connection, onError }),
    [source, connection, onError],
  );
  return (
    <QueryClientProvider client={queryClient}>
      <JobsContext.Provider value={value}>{props.children}</JobsContext.Provider>
    </QueryClientProvider>
  );
}

export function useJobsContext(): JobsContextValue {
  const value = useContext(JobsContext);
  if (value === undefined) throw new Error('the @jobs/react hooks need a JobsProvider above them');
  return value;
}

/** The client the provider was given, for calls the hooks do not cover. */
export function useJobsClient(): JobsClient {
  return useJobsContext().source.client;
}

/** Whether what the hooks show is being kept current, for a "Live" indicator. */
export function useJobEventsConnection(): JobEventsState {
  return useJobsContext().connection;
}
