import { type JobStatus, type JobSummary, jobStatuses } from '@jobs/client';
import { formatCount } from '../format/formatCount.js';

const label: Record<JobStatus, string> = {
  PENDING: 'Pending',
  RUNNING: 'Running',
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
  STOPPED: 'Stopped',
};

/**
 * One toggle per status with its count: pressing several shows jobs in any of them, "All"
 * clears the selection. Counts are within the other filters (search, metadata), and lower
 * bounds ("N+") when the server capped them.
 */
export function StatusChips(props: {
  summary: JobSummary | undefined;
  selected: readonly JobStatus[];
  onChange: (statuses: JobStatus[]) => void;
}) {
  const { summary, selected } = props;
  const count = (value: number | undefined) => (
    <span className="count">
      {value === undefined ? '…' : formatCount(value, summary?.capped === true)}
    </span>
  );
  return (
    <div className="chips" role="group" aria-label="Filter by status">
      <button
        type="button"
        className="chip"
        aria-pressed={selected.length === 0}
        onClick={() => {
          props.onChange([]);
        }}
      >
        All {count(summary?.total)}
      </button>
      {jobStatuses.map((status) => (
        <button
          key={status}
          type="button"
          className={`chip chip-${status.toLowerCase()}`}
          aria-pressed={selected.includes(status)}
          onClick={() => {
            props.onChange(
              selected.includes(status)
                ? selected.filter((other) => other !== status)
                : jobStatuses.filter((other) => other === status || selected.includes(other)),
            );
          }}
        >
          {label[status]} {count(summary?.by_status[status])}
        </button>
      ))}
    </div>
  );
}
