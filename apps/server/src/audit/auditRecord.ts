/** The actions every record is kept of. */
export type AuditedAction = 'submit' | 'stop' | 'delete';

/** Who did what to which job, when, and how it ended. */
export interface AuditRecord {
  time: string;
  action: AuditedAction;
  /** The job acted on; for a rejected submit, the id it asked for (if any). */
  submission_id: string | null;
  /** Token name; "anonymous" when the server has no tokens, null when none was valid. */
  actor: string | null;
  role: string | null;
  remote_address: string | null;
  request_id: string;
  status: number;
  /** accepted, stopping, already_ended, deleted, still_active, or the error code. */
  result: string;
}

/** Something that wants to know about audited actions: the audit log, metrics. */
export type AuditObserver = (record: AuditRecord) => void;
