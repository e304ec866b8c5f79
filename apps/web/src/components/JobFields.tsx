import type { JobDetails, JobTiming } from '@jobs/client';
import { formatDuration, formatTimestamp } from '../format/formatTime.js';
import { startedAt } from '@jobs/react';
import { jobPhases } from '../jobs/jobPhases.js';
import { jobDurationMs } from '../jobs/jobTimes.js';

function KeyValueTable(props: { caption: string; values: Record<string, string> }) {
  const entries = Object.entries(props.values);
  if (entries.length === 0) return <p className="muted">No {props.caption.toLowerCase()}.</p>;
  return (
    <table className="kv">
      <caption>{props.caption}</caption>
      <tbody>
        {entries.map(([key, value]) => (
          <tr key={key}>
            <th scope="row">{key}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Time queued and time run, from the job's timing; placeholders until it is read. */
function phaseRows(timing: JobTiming | undefined, now: number): [string, string][] {
  if (timing === undefined)
    return [
      ['Queued', '…'],
      ['Ran', '…'],
    ];
  const phases = jobPhases(timing, now);
  return [
    ['Queued', `${formatDuration(phases.queuedMs)}${phases.queuing ? ' so far' : ''}`],
    [
      'Ran',
      phases.ranMs === undefined
        ? phases.queuing
          ? 'not yet'
          : '–'
        : `${formatDuration(phases.ranMs)}${phases.running ? ' so far' : ''}`,
    ],
    ['Started running', timing.running_at === null ? '–' : formatTimestamp(timing.running_at)],
  ];
}

/** Every field of the job, laid out for reading rather than as raw JSON. */
export function JobFields(props: { job: JobDetails; timing: JobTiming | undefined; now: number }) {
  const { job, now } = props;
  const rows: [string, string][] = [
    ['Submission id', job.submission_id],
    ['Type', job.type],
    ['Submitted', formatTimestamp(startedAt(job))],
    ['Ended', job.end_time === '' ? '–' : formatTimestamp(Number(job.end_time))],
    ['Duration', formatDuration(jobDurationMs(job, now))],
    ...phaseRows(props.timing, now),
    ['Exit code', job.driver_exit_code === null ? '–' : String(job.driver_exit_code)],
    ['Error type', job.error_type || '–'],
    ['Driver pid', job.driver_info.pid || '–'],
    ['Driver node IP', job.driver_info.node_ip_address || '–'],
    ['Driver node id', job.driver_node_id || '–'],
    ['Driver agent address', job.driver_agent_http_address || '–'],
  ];
  const hasRuntimeEnv = Object.keys(job.runtime_env).length > 0;
  return (
    <div className="job-fields">
      <section className="panel" aria-labelledby="details-title">
        <h2 id="details-title">Details</h2>
        <dl className="fields">
          {rows.map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
        <h3>Entrypoint</h3>
        <pre className="code">{job.entrypoint}</pre>
      </section>
      <section className="panel" aria-labelledby="metadata-title">
        <h2 id="metadata-title">Metadata and runtime environment</h2>
        <KeyValueTable caption="Metadata" values={job.metadata} />
        <h3>runtime_env</h3>
        {hasRuntimeEnv ? (
          <pre className="code" aria-label="runtime_env">
            {JSON.stringify(job.runtime_env, null, 2)}
          </pre>
        ) : (
          <p className="muted">No runtime environment.</p>
        )}
      </section>
    </div>
  );
}
