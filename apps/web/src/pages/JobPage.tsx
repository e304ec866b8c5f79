import { type JobDetails, type JobEvent, isTerminalStatus, JobsApiError } from '@jobs/client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../api/ApiContext.js';
import { isAbort } from '../api/describeError.js';
import { useJobEvents } from '../api/JobEventsContext.js';
import { useNow } from '../api/useNow.js';
import { ConfirmButton } from '../components/ConfirmButton.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { JobFields } from '../components/JobFields.js';
import { JobLog } from '../components/JobLog.js';
import { LiveStatus } from '../components/LiveStatus.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { newerSnapshot } from '../jobs/jobListState.js';
import { routeHref } from '../useHashRoute.js';

function Gone(props: { title: string; detail: string }) {
  return (
    <div className="placeholder">
      <h1>{props.title}</h1>
      <p className="muted">{props.detail}</p>
      <a className="button" href={routeHref.list}>
        Back to all jobs
      </a>
    </div>
  );
}

/** One job: read once, then kept current by the tab's stream of job changes. */
export function JobPage(props: { submissionId: string }) {
  const { submissionId } = props;
  const { api, reportError } = useApi();
  const { subscribe, generation } = useJobEvents();
  const [job, setJob] = useState<JobDetails>();
  const [error, setError] = useState<unknown>();
  const [deleted, setDeleted] = useState(false);
  const [actionError, setActionError] = useState<unknown>();
  const now = useNow();

  /** Changes that arrive while the job is being read, applied again over what the read gives. */
  const recorded = useRef<JobEvent[]>(undefined);
  const apply = useCallback((event: JobEvent) => {
    if (event.type === 'deleted') setDeleted(true);
    else setJob((current) => (current ? newerSnapshot(current, event.job) : event.job));
  }, []);

  useEffect(
    () =>
      subscribe((event) => {
        if (event.job.submission_id !== submissionId) return;
        recorded.current?.push(event);
        apply(event);
      }),
    [subscribe, submissionId, apply],
  );

  useEffect(() => {
    const controller = new AbortController();
    const changes: JobEvent[] = [];
    recorded.current = changes;
    api.getJob(submissionId, controller.signal).then(
      (read) => {
        if (recorded.current === changes) recorded.current = undefined;
        if (controller.signal.aborted) return;
        setJob(read);
        for (const event of changes) apply(event);
        setError(undefined);
      },
      (caught: unknown) => {
        if (recorded.current === changes) recorded.current = undefined;
        if (controller.signal.aborted || isAbort(caught)) return;
        setError(caught);
        reportError(caught);
      },
    );
    return () => {
      controller.abort();
    };
  }, [api, submissionId, generation, reportError, apply]);

  const act = async (action: () => Promise<unknown>) => {
    setActionError(undefined);
    try {
      await action();
    } catch (caught) {
      setActionError(caught);
      reportError(caught);
    }
  };

  if (deleted) {
    return <Gone title={`${submissionId} was deleted`} detail="Its record and its log are gone." />;
  }
  if (error instanceof JobsApiError && error.code === 'JOB_NOT_FOUND') {
    return (
      <Gone
        title={`No job “${submissionId}”`}
        detail="It may have been deleted, or removed after the retention period."
      />
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
        <LiveStatus />
        <div className="actions">
          {job !== undefined && !isTerminalStatus(job.status) && (
            <ConfirmButton
              label="Stop"
              question={`Stop ${submissionId}?`}
              detail="The job's processes get SIGTERM, then SIGKILL after the grace period."
              confirmLabel="Stop job"
              danger
              onConfirm={() => act(() => api.stopJob(submissionId))}
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
      {job === undefined && error === undefined && (
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
