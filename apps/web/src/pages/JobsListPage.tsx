import { useJobList, useJobSummary } from '@jobs/react';
import { useEffect, useMemo, useState } from 'react';
import { useDebounced } from '../api/useDebounced.js';
import { useNow } from '../api/useNow.js';
import { ActivityPanel } from '../components/ActivityPanel.js';
import { BulkActions, BulkResults } from '../components/BulkActions.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { JobFilters } from '../components/JobFilters.js';
import { JobsTable, type RowSelection } from '../components/JobsTable.js';
import { LiveStatus } from '../components/LiveStatus.js';
import { StatusChips } from '../components/StatusChips.js';
import {
  type JobFilter,
  emptyFilter,
  filterFromSearchParams,
  filterToSearchParams,
  isFiltering,
  toJobsQuery,
  withoutStatuses,
} from '../jobs/jobFilters.js';
import { barRange } from '../jobs/activityText.js';
import type { BulkAction, BulkOutcome } from '../jobs/bulkActions.js';
import {
  type ListSort,
  type ListView,
  listSorts,
  viewFromSearchParams,
  withView,
} from '../jobs/listView.js';
import { replaceRoute, routeHref } from '../useHashRoute.js';
import { formatCount } from '../format/formatCount.js';

/** Jobs read per page. */
const jobsPageSize = 50;

/** Typed filters are sent once typing pauses for this long; status chips apply at once. */
const typingPauseMs = 250;

function shownOf(jobs: number, total: number | undefined, atLeast: boolean): string {
  return total === undefined || total <= jobs
    ? `${jobs.toLocaleString('en')} shown`
    : `${jobs.toLocaleString('en')} of ${formatCount(total, atLeast)} shown`;
}

/** The order the server lists the jobs in, across every page. */
function SortControl(props: { sort: ListSort; onChange: (sort: ListSort) => void }) {
  return (
    <label className="inline-field">
      Sort
      <select
        value={props.sort}
        onChange={(event) => {
          props.onChange(event.target.value as ListSort);
        }}
      >
        {Object.entries(listSorts).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function JobsListPage(props: { query: URLSearchParams }) {
  const [filter, setFilter] = useState<JobFilter>(() => filterFromSearchParams(props.query));
  const [view, setView] = useState<ListView>(() => viewFromSearchParams(props.query));
  const typed = useDebounced(
    useMemo(
      () => ({
        search: filter.search,
        metadataKey: filter.metadataKey,
        metadataValue: filter.metadataValue,
      }),
      [filter.search, filter.metadataKey, filter.metadataValue],
    ),
    typingPauseMs,
  );
  const applied = useMemo(
    () => ({
      ...typed,
      statuses: filter.statuses,
      submittedAfter: filter.submittedAfter,
      submittedBefore: filter.submittedBefore,
    }),
    [typed, filter.statuses, filter.submittedAfter, filter.submittedBefore],
  );
  const list = useJobList(toJobsQuery(applied), { limit: jobsPageSize, order: view.sort });
  const summary = useJobSummary(toJobsQuery(withoutStatuses(applied))).data;
  const now = useNow();
  /** A first page for a new filter is on its way; the previous one's jobs are still shown. */
  const loading = list.isPending || list.isPlaceholderData;

  useEffect(() => {
    replaceRoute(routeHref.listWith(withView(filterToSearchParams(filter), view)));
  }, [filter, view]);

  const jobs = list.data;
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  const [bulkResult, setBulkResult] = useState<{ action: BulkAction; outcomes: BulkOutcome[] }>();
  /** Ticked jobs that are still listed: a deleted or filtered-out job is no longer selected. */
  const selected = useMemo(
    () => (jobs ?? []).map((job) => job.submission_id).filter((id) => ticked.has(id)),
    [jobs, ticked],
  );
  const selection: RowSelection = {
    selected: new Set(selected),
    onToggle: (submissionId, on) => {
      setTicked((previous) => {
        const next = new Set(previous);
        if (on) next.add(submissionId);
        else next.delete(submissionId);
        return next;
      });
    },
    onToggleAll: (on) => {
      setTicked(new Set(on ? (jobs ?? []).map((job) => job.submission_id) : []));
    },
  };
  const total =
    summary === undefined
      ? undefined
      : applied.statuses.length === 0
        ? summary.total
        : applied.statuses.reduce((sum, status) => sum + summary.by_status[status], 0);

  return (
    <section aria-labelledby="jobs-title">
      <div className="page-head">
        <h1 id="jobs-title">Jobs</h1>
        {/* Not a live region: it changes with every change to any job. */}
        <span className="muted">
          {jobs === undefined ? '' : shownOf(jobs.length, total, summary?.capped === true)}
        </span>
        <LiveStatus />
      </div>
      {list.error !== null && <ErrorBanner error={list.error} stale={jobs !== undefined} />}
      <StatusChips
        summary={summary}
        selected={filter.statuses}
        onChange={(statuses) => {
          setFilter({ ...filter, statuses });
        }}
      />
      <JobFilters filter={filter} onChange={setFilter} />
      <div className="list-tools">
        <button
          type="button"
          aria-expanded={view.activity}
          aria-controls="activity-panel"
          onClick={() => {
            setView({ ...view, activity: !view.activity });
          }}
        >
          {view.activity ? 'Hide activity' : 'Show activity'}
        </button>
        {jobs !== undefined && jobs.length > 0 && (
          <SortControl
            sort={view.sort}
            onChange={(sort) => {
              setView({ ...view, sort });
            }}
          />
        )}
      </div>
      {view.activity && (
        <div id="activity-panel">
          <ActivityPanel
            query={toJobsQuery(applied)}
            onChooseBar={(bar) => {
              const range = barRange(bar);
              setFilter({ ...filter, submittedAfter: range.after, submittedBefore: range.before });
            }}
          />
        </div>
      )}
      {selected.length > 0 && (
        <BulkActions
          selected={selected}
          onClear={() => {
            setTicked(new Set());
          }}
          onDone={(action, outcomes) => {
            setTicked(new Set());
            setBulkResult({ action, outcomes });
          }}
        />
      )}
      {bulkResult !== undefined && (
        <BulkResults
          action={bulkResult.action}
          outcomes={bulkResult.outcomes}
          onDismiss={() => {
            setBulkResult(undefined);
          }}
        />
      )}
      {jobs === undefined ? (
        loading && (
          <div className="placeholder" role="status">
            Loading jobs…
          </div>
        )
      ) : jobs.length === 0 ? (
        isFiltering(applied) ? (
          <div className="placeholder">
            <h2>No jobs match these filters</h2>
            <button
              type="button"
              onClick={() => {
                setFilter(emptyFilter);
              }}
            >
              Clear filters
            </button>
          </div>
        ) : (
          <div className="placeholder">
            <h2>No jobs yet</h2>
            <p className="muted">
              Jobs submitted to this server, from here, jobctl or a Python client, show up here.
            </p>
            <a className="button primary" href={routeHref.submit}>
              Submit a job
            </a>
          </div>
        )
      ) : (
        <div aria-busy={loading} className={loading ? 'refreshing' : undefined}>
          <JobsTable jobs={jobs} now={now} selection={selection} />
          {list.hasNextPage && !loading && (
            <div className="load-more">
              <button
                type="button"
                onClick={() => void list.fetchNextPage()}
                disabled={list.isFetchingNextPage}
              >
                {list.isFetchingNextPage ? 'Loading…' : `Load ${jobsPageSize} more`}
              </button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
