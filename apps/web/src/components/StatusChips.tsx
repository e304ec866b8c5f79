import { type JobStatus, jobStatuses } from '@jobs/client';

const label: Record<JobStatus, string> = {
  PENDING: 'Pending',
  RUNNING: 'Running',
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
  STOPPED: 'Stopped',
};

/** One toggle per status with its count; pressing the selected one again shows every status. */
export function StatusChips(props: {
  counts: Record<JobStatus, number>;
  total: number;
  selected: JobStatus | undefined;
  onSelect: (status: JobStatus | undefined) => void;
}) {
  return (
    <div className="chips" role="group" aria-label="Filter by status">
      <button
        type="button"
        className="chip"
        aria-pressed={props.selected === undefined}
        onClick={() => {
          props.onSelect(undefined);
        }}
      >
        All <span className="count">{props.total}</span>
      </button>
      {jobStatuses.map((status) => (
        <button
          key={status}
          type="button"
          className={`chip chip-${status.toLowerCase()}`}
          aria-pressed={props.selected === status}
          onClick={() => {
            props.onSelect(props.selected === status ? undefined : status);
          }}
        >
          {label[status]} <span className="count">{props.counts[status]}</span>
        </button>
      ))}
    </div>
  );
}
