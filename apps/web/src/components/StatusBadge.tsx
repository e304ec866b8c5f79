import type { JobStatus } from '@jobs/client';

export function StatusBadge(props: { status: JobStatus }) {
  return <span className={`badge status-${props.status.toLowerCase()}`}>{props.status}</span>;
}
