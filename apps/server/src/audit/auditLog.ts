import { closeSync, openSync, writeSync } from 'node:fs';
import type { AuditRecord } from './auditRecord.js';

/**
 * Audit records as JSON lines in one append-only file. A file rather than a store table: it
 * outlives the jobs it speaks of (delete removes the job row), is independent of the store
 * backend, and is what log shippers and `grep`/`jq` read. Each record is one write(2) with
 * O_APPEND, so concurrent lines never interleave and a crash loses at most the last one.
 */
export class AuditLog {
  private readonly fd: number;

  constructor(readonly file: string) {
    this.fd = openSync(file, 'a', 0o600);
  }

  record(record: AuditRecord): void {
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
  }

  close(): void {
    closeSync(this.fd);
  }
}
