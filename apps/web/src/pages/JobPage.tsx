import { isTerminalStatus, JobsApiError } from '@jobs/client';
import { useDeleteJob, useJob, useJobTiming, useStopJob } from '@jobs/react';
import { useNow } from '../api/useNow.js';
import { loadToken } from '../api/tokenStore.js';
import { ConfirmButton } from '../components/ConfirmButton.js';
import { CopyButton } from '../components/CopyButton.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { JobFields } from '../components/JobFields.js';
import { JobLog } from '../components/JobLog.js';
import { LiveStatus } from '../components/LiveStatus.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { curlCommand, jobctlCommand, submissionOf } from '../jobs/submission.js';
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

/** One job: read once, then kept current by the page's stream of job changes. */
export function JobPage(props: { submissionId: string }) {
  const { submissionId } = props;
  const read = useJob(submissionId);
  const stop = useStopJob();
  const remove = useDeleteJob();
  const now = useNow();
  const job = read.data?.job;
  const timing = useJobTiming(submissionId, job?.status).data;
  const deleted = read.data?.deleted === true;
  const { error } = read;
  const actionError = stop.error ?? remove.error;

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
              onConfirm={async () => {
                remove.reset();
                await stop.mutateAsync(submissionId).catch(() => undefined);
              }}
            />
          )}
          {job !== undefined && isTerminalStatus(job.status) && (
            <ConfirmButton
              label="Delete"
              question={`Delete ${submissionId}?`}
              detail="Its record and its log are removed for good."
              confirmLabel="Delete job"
              danger
              onConfirm={async () => {
                stop.reset();
                const gone = await remove.mutateAsync(submissionId).catch(() => false);
                if (gone) window.location.hash = routeHref.list;
              }}
            />
          )}
        </div>
      </div>
      {error !== null && <ErrorBanner error={error} stale={job !== undefined} />}
      {actionError !== null && <ErrorBanner error={actionError} />}
      {job === undefined && error === null && (
        <div className="placeholder" role="status">
          Loading job…
        </div>
      )}
      {job !== undefined && (
        <>
          <p className="message" aria-label="Message">
            {job.message || <span className="muted">No message.</span>}
          </p>
          <div className="actions submission-actions">
            <a className="button" href={routeHref.submitAgain(submissionId)}>
              Submit again
            </a>
            <CopyButton
              label="Copy as jobctl"
              text={() => jobctlCommand(window.location.origin, submissionOf(job))}
            />
            <CopyButton
              label="Copy as curl"
              text={() =>
                curlCommand(window.location.origin, submissionOf(job), loadToken() !== undefined)
              }
            />
          </div>
          <JobFields job={job} timing={timing} now={now} />
          <JobLog submissionId={submissionId} />
        </>
      )}
    </article>
  );
}
