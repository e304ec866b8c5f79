import { useCallback, useMemo, useState } from 'react';
import { useApi } from '../api/ApiContext.js';
import { useNow } from '../api/useNow.js';
import { usePolling } from '../api/usePolling.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { JobFilters } from '../components/JobFilters.js';
import { JobsTable } from '../components/JobsTable.js';
import { StatusChips } from '../components/StatusChips.js';
import { countByStatus, emptyFilter, filterJobs, isFiltering } from '../jobs/jobFilters.js';
import { routeHref } from '../useHashRoute.js';

/** How often the list is read again; the server has no change feed to push updates yet. */
export const listRefreshMs = 3000;

export function JobsListPage() {
  const { api, reportError } = useApi();
  const load = useCallback((signal: AbortSignal) => api.listJobs(signal), [api]);
  const { data: jobs, error, loading } = usePolling(load, listRefreshMs, reportError);
  const [filter, setFilter] = useState(emptyFilter);
  const now = useNow();
  const shown = useMemo(() => filterJobs(jobs ?? [], filter), [jobs, filter]);
  const counts = useMemo(() => countByStatus(jobs ?? []), [jobs]);

  return (
    <section aria-labelledby="jobs-title">
      <div className="page-head">
        <h1 id="jobs-title">Jobs</h1>
        <span className="muted" aria-live="polite">
          {jobs === undefined
            ? ''
            : `${shown.length} of ${jobs.length} shown · refreshes every ${listRefreshMs / 1000} s`}
        </span>
      </div>
      {error !== undefined && <ErrorBanner error={error} stale={jobs !== undefined} />}
      <StatusChips
        counts={counts}
        total={jobs?.length ?? 0}
        selected={filter.status}
        onSelect={(status) => {
          setFilter({ ...filter, status });
        }}
      />
      <JobFilters filter={filter} onChange={setFilter} />
      {loading ? (
        <div className="placeholder" role="status">
          Loading jobs…
        </div>
      ) : jobs === undefined ? null : jobs.length === 0 ? (
        <div className="placeholder">
          <h2>No jobs yet</h2>
          <p className="muted">
            Jobs submitted to this server, from here, jobctl or a Python client, show up here.
          </p>
          <a className="button primary" href={routeHref.submit}>
            Submit a job
          </a>
        </div>
      ) : shown.length === 0 ? (
        <div className="placeholder">
          <h2>No jobs match these filters</h2>
          {isFiltering(filter) && (
            <button
              type="button"
              onClick={() => {
                setFilter(emptyFilter);
              }}
            >
              Clear filters
            </button>
          )}
        </div>
      ) : (
        <JobsTable jobs={shown} now={now} />
      )}
    </section>
  );
}
