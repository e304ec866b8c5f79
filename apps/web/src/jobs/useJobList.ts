import type { JobDetails, JobEvent, JobSummary } from '@jobs/client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../api/ApiContext.js';
import { isAbort } from '../api/describeError.js';
import { useJobEvents } from '../api/JobEventsContext.js';
import { type JobFilter, toFilterQuery, withoutStatuses } from './jobFilters.js';
import { type JobListState, appendPage, applyJobEvent, firstPage } from './jobListState.js';

/** Jobs read per page. */
export const jobsPageSize = 50;

/** Counts are read again at most this often while jobs keep changing. */
const summaryRefreshMs = 300;

export interface JobList {
  /** The loaded part of the list; undefined until the first page has arrived. */
  jobs: JobDetails[] | undefined;
  /** Counts per status within the filter's other conditions (for the status chips). */
  summary: JobSummary | undefined;
  /** A first page for a new filter is on its way; `jobs` still shows the previous one. */
  loading: boolean;
  hasMore: boolean;
  loadingMore: boolean;
  /** The last failed read, cleared by the next good one. */
  error: unknown;
  loadMore: () => void;
}

/**
 * The jobs list under `filter`, read page by page from the server and then kept current by the
 * tab's stream of job changes: no polling. Changes that arrive while a page is being read are
 * applied again once it has arrived, so none is lost between the read and the stream.
 */
export function useJobList(filter: JobFilter): JobList {
  const { api, reportError } = useApi();
  const { subscribe, generation } = useJobEvents();
  /** The list with the number of the first-page read it comes from (see listVersion). */
  const [state, setState] = useState<{ version: number; list: JobListState }>();
  const [summary, setSummary] = useState<JobSummary>();
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>();
  const [summaryTick, setSummaryTick] = useState(0);

  const filterKey = JSON.stringify(toFilterQuery(filter));
  const summaryKey = JSON.stringify(toFilterQuery(withoutStatuses(filter)));
  const filterRef = useRef(filter);
  filterRef.current = filter;
  /** Bumped for each first-page read, so a late "more" page of an older list is dropped. */
  const listVersion = useRef(0);
  /** Changes seen while a read is in flight, one array per read. */
  const recorders = useRef(new Set<JobEvent[]>());
  const summaryTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const fail = useCallback(
    (caught: unknown) => {
      if (isAbort(caught)) return;
      setError(caught);
      reportError(caught);
    },
    [reportError],
  );

  /** Reads `read` while recording changes, then hands the result and those changes on. */
  const recordingWhile = useCallback(async <T>(read: () => Promise<T>) => {
    const recorded: JobEvent[] = [];
    recorders.current.add(recorded);
    try {
      return { value: await read(), recorded };
    } finally {
      recorders.current.delete(recorded);
    }
  }, []);

  useEffect(
    () =>
      subscribe((event) => {
        for (const recorded of recorders.current) recorded.push(event);
        setState((current) =>
          current === undefined
            ? current
            : { ...current, list: applyJobEvent(current.list, event) },
        );
        summaryTimer.current ??= setTimeout(() => {
          summaryTimer.current = undefined;
          setSummaryTick((tick) => tick + 1);
        }, summaryRefreshMs);
      }),
    [subscribe],
  );
  useEffect(
    () => () => {
      clearTimeout(summaryTimer.current);
    },
    [],
  );

  useEffect(() => {
    const controller = new AbortController();
    const version = ++listVersion.current;
    const applied = filterRef.current;
    setLoading(true);
    setLoadingMore(false);
    recordingWhile(() => api.listJobs(applied, { limit: jobsPageSize }, controller.signal))
      .then(({ value: page, recorded }) => {
        if (version !== listVersion.current) return;
        let next = firstPage(applied, page);
        for (const event of recorded) next = applyJobEvent(next, event);
        setState({ version, list: next });
        setError(undefined);
        setLoading(false);
      })
      .catch((caught: unknown) => {
        if (controller.signal.aborted) return;
        setLoading(false);
        fail(caught);
      });
    return () => {
      controller.abort();
    };
  }, [api, filterKey, generation, recordingWhile, fail]);

  const summarySeq = useRef(0);
  useEffect(() => {
    const seq = ++summarySeq.current;
    api.summarizeJobs(withoutStatuses(filterRef.current)).then(
      (counts) => {
        if (seq === summarySeq.current) setSummary(counts);
      },
      (caught: unknown) => {
        if (seq === summarySeq.current) reportError(caught);
      },
    );
  }, [api, summaryKey, generation, summaryTick, reportError]);

  // "More" continues the list shown, with the filter it was read with; not while another is read.
  const current = loading ? undefined : state;
  const cursor = current?.list.nextCursor;
  const loadMore = useCallback(() => {
    if (current === undefined || cursor === undefined || loadingMore) return;
    const { version } = current;
    const applied = current.list.filter;
    setLoadingMore(true);
    recordingWhile(() => api.listJobs(applied, { limit: jobsPageSize, cursor }))
      .then(({ value: page, recorded }) => {
        setState((latest) => {
          if (latest?.version !== version) return latest;
          let next = appendPage(latest.list, page);
          for (const event of recorded) next = applyJobEvent(next, event);
          return { version, list: next };
        });
        setError(undefined);
      })
      .catch(fail)
      .finally(() => {
        setLoadingMore(false);
      });
  }, [api, current, cursor, loadingMore, recordingWhile, fail]);

  return {
    jobs: state?.list.jobs,
    summary,
    loading,
    hasMore: cursor !== undefined,
    loadingMore,
    error,
    loadMore,
  };
}
