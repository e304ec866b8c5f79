import { isTerminalStatus, JobsApiError } from '@jobs/client';
import { useCallback, useState } from 'react';
import { useApi } from '../api/ApiContext.js';
import { useNow } from '../api/useNow.js';
import { usePolling } from '../api/usePolling.js';
import { ConfirmButton } from '../components/ConfirmButton.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { JobFields } from '../components/JobFields.js';
import { JobLog } from '../components/JobLog.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { routeHref } from '../useHashRoute.js';

/** How often an active job is read again; a terminal job never changes, so polling stops. */
const jobRefreshMs = 1500;

export function JobPage(props: { submissionId: string }) {
  const { submissionId } = props;
  const { api, reportError } = useApi();
  const [active, setActive] = useState(true);
  const load = useCallback(
    async (signal: AbortSignal) => {
      const job = await api.getJob(submissionId, signal);
      setActive(!isTerminalStatus(job.status));
      return job;
    },
    [api, submissionId],
  );
  const {
    data: job,
    error,
    loading,
    refresh,
  } = usePolling(load, jobRefreshMs, reportError, active);
  const [actionError, setActionError] = useState<unknown>();
  const now = useNow();

  const act = async (action: () => Promise<unknown>) => {
    setActionError(undefined);
    try {
      await action();
    } catch (caught) {
      setActionError(caught);
      reportError(caught);
    }
  };

  if (error instanceof JobsApiError && error.code === 'JOB_NOT_FOUND') {
    return (
      <div className="placeholder">
        <h1>No job “{submissionId}”</h1>
        <p className="muted">It may have been deleted, or removed after the retention period.</p>
        <a className="button" href={routeHref.list}>
          Back to all jobs
        </a>
      </div>
    );
  }

  return (
    <article aria-labelledby="job-title">
      <p>
        <a href={routeHref.list}>← All jobs</a>
      </p>
      <div className="page-head">
        <h1 id="job-title" className="job-title">
          {submissionId}
        </h1>
        {job !== undefined && <StatusBadge status={job.status} />}
        <div className="actions">
          {job !== undefined && !isTerminalStatus(job.status) && (
            <ConfirmButton
              label="Stop"
              question={`Stop ${submissionId}?`}
              detail="The job's processes get SIGTERM, then SIGKILL after the grace period."
              confirmLabel="Stop job"
              danger
              onConfirm={() =>
                act(async () => {
                  await api.stopJob(submissionId);
                  setActive(true);
                  refresh();
                })
              }
            />
          )}
          {job !== undefined && isTerminalStatus(job.status) && (
            <ConfirmButton
              label="Delete"
              question={`Delete ${submissionId}?`}
              detail="Its record and its log are removed for good."
              confirmLabel="Delete job"
              danger
              onConfirm={() =>
                act(async () => {
                  await api.deleteJob(submissionId);
                  window.location.hash = routeHref.list;
                })
              }
            />
          )}
        </div>
      </div>
      {error !== undefined && <ErrorBanner error={error} stale={job !== undefined} />}
      {actionError !== undefined && <ErrorBanner error={actionError} />}
      {loading && (
        <div className="placeholder" role="status">
          Loading job…
        </div>
      )}
      {job !== undefined && (
        <>
          <p className="message" aria-label="Message">
            {job.message || <span className="muted">No message.</span>}
          </p>
          <JobFields job={job} now={now} />
          <JobLog submissionId={submissionId} />
        </>
      )}
    </article>
  );
}
