import type { JobDetails } from '@jobs/client';
import { formatDuration, formatTimestamp } from '../format/formatTime.js';
import { startedAt } from '@jobs/react';
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

/** Every field of the job, laid out for reading rather than as raw JSON. */
export function JobFields(props: { job: JobDetails; now: number }) {
  const { job, now } = props;
  const rows: [string, string][] = [
    ['Submission id', job.submission_id],
    ['Type', job.type],
    ['Started', formatTimestamp(startedAt(job))],
    ['Ended', job.end_time === '' ? '–' : formatTimestamp(Number(job.end_time))],
    ['Duration', formatDuration(jobDurationMs(job, now))],
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
