import type { JobDetails } from '@jobs/client';
import { formatDuration, formatRelativeTime, formatTimestamp } from '../format/formatTime.js';
import { startedAt } from '@jobs/react';
import { useEffect, useRef } from 'react';
import { jobDurationMs } from '../jobs/jobTimes.js';
import { routeHref } from '../useHashRoute.js';
import { StatusBadge } from './StatusBadge.js';

/** The first line of a message: the reason a job failed, without its details. */
export function firstLine(text: string): string {
  return text.trimStart().split(/\r?\n/, 1)[0] ?? '';
}

function Outcome(props: { job: JobDetails }) {
  const { job } = props;
  if (job.status !== 'FAILED' && job.status !== 'STOPPED') return null;
  const reason = job.status === 'FAILED' ? firstLine(job.message) : '';
  return (
    <span className="outcome">
      {job.driver_exit_code !== null && <span>exit {job.driver_exit_code}</span>}
      {job.error_type !== '' && <code>{job.error_type}</code>}
      {reason !== '' && (
        <span className="reason" title={job.message}>
          {reason}
        </span>
      )}
    </span>
  );
}

/** Metadata as `key=value` tags; the list filters by one of them through the filters above. */
function Tags(props: { metadata: Record<string, string> }) {
  const entries = Object.entries(props.metadata);
  if (entries.length === 0) return null;
  return (
    <ul className="tags" aria-label="Metadata">
      {entries.map(([key, value]) => (
        <li key={key} className="tag">
          {key}={value}
        </li>
      ))}
    </ul>
  );
}

/** Which rows are ticked, for the bulk actions above the table. */
export interface RowSelection {
  selected: ReadonlySet<string>;
  onToggle: (submissionId: string, selected: boolean) => void;
  onToggleAll: (selected: boolean) => void;
}

/** Ticks every loaded row, or none; shows a dash while only some are ticked. */
function SelectAllBox(props: { jobs: readonly JobDetails[]; selection: RowSelection }) {
  const { jobs, selection } = props;
  const ticked = jobs.filter((job) => selection.selected.has(job.submission_id)).length;
  const box = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (box.current !== null) box.current.indeterminate = ticked > 0 && ticked < jobs.length;
  }, [ticked, jobs.length]);
  return (
    <input
      ref={box}
      type="checkbox"
      className="select-box"
      aria-label={`Select all ${jobs.length.toLocaleString('en')} loaded jobs`}
      checked={ticked > 0 && ticked === jobs.length}
      onChange={(event) => {
        selection.onToggleAll(event.target.checked);
      }}
    />
  );
}

/** Jobs as rows; below 760 px wide each row is laid out as a card (see styles.css). */
export function JobsTable(props: {
  jobs: readonly JobDetails[];
  now: number;
  selection?: RowSelection;
}) {
  const { selection } = props;
  return (
    <table className="jobs-table">
      <thead>
        <tr>
          {selection !== undefined && (
            <th scope="col" className="select-cell">
              <SelectAllBox jobs={props.jobs} selection={selection} />
            </th>
          )}
          <th scope="col">Job</th>
          <th scope="col">Status</th>
          <th scope="col">Entrypoint</th>
          <th scope="col">Started</th>
          <th scope="col">Duration</th>
          <th scope="col">Outcome</th>
        </tr>
      </thead>
      <tbody>
        {props.jobs.map((job) => (
          <tr key={job.submission_id} data-job-id={job.submission_id}>
            {selection !== undefined && (
              <td data-label="Select" className="select-cell">
                <input
                  type="checkbox"
                  className="select-box"
                  aria-label={`Select ${job.submission_id}`}
                  checked={selection.selected.has(job.submission_id)}
                  onChange={(event) => {
                    selection.onToggle(job.submission_id, event.target.checked);
                  }}
                />
              </td>
            )}
            <td data-label="Job">
              <a href={routeHref.job(job.submission_id)} className="job-link">
                {job.submission_id}
              </a>
              <Tags metadata={job.metadata} />
            </td>
            <td data-label="Status">
              <StatusBadge status={job.status} />
            </td>
            <td data-label="Entrypoint" className="entrypoint" title={job.entrypoint}>
              <code>{job.entrypoint}</code>
            </td>
            <td data-label="Started" className="timestamp" title={formatTimestamp(startedAt(job))}>
              {formatRelativeTime(startedAt(job), props.now)}
            </td>
            <td data-label="Duration" className="timestamp">
              {formatDuration(jobDurationMs(job, props.now))}
            </td>
            <td data-label="Outcome">
              <Outcome job={job} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
