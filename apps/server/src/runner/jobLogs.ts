import { mkdirSync, openSync, rmSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Longest log excerpt put into a failed job's message. */
export const MAX_LOG_TAIL_CHARS = 20_000;
const TAIL_LINES = 20;
const TAIL_READ_BYTES = 64 * 1024;

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

/**
 * One append-only file per job under `<dataDir>/logs`. Submission ids are validated to a safe
 * character set before any job exists, so an id is always a plain file name here.
 */
export class JobLogs {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'logs');
    mkdirSync(this.dir, { recursive: true });
  }

  pathOf(submissionId: string): string {
    return join(this.dir, `${submissionId}.log`);
  }

  /** A file descriptor the driver writes its stdout and stderr to. */
  openForDriver(submissionId: string): number {
    return openSync(this.pathOf(submissionId), 'a', 0o600);
  }

  async read(submissionId: string): Promise<string> {
    try {
      return await readFile(this.pathOf(submissionId), 'utf8');
    } catch (error) {
      if (isMissing(error)) return '';
      throw error;
    }
  }

  /** The last lines of the log, at most MAX_LOG_TAIL_CHARS characters. */
  async tail(submissionId: string): Promise<string> {
    let handle;
    try {
      handle = await open(this.pathOf(submissionId), 'r');
    } catch (error) {
      if (isMissing(error)) return '';
      throw error;
    }
    try {
      const { size } = await handle.stat();
      const length = Math.min(size, TAIL_READ_BYTES);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, size - length);
      const lines = buffer.toString('utf8').replace(/\n$/, '').split('\n');
      // A cut first line is partial unless the read started at the beginning of the file.
      if (length < size) lines.shift();
      const text = lines.slice(-TAIL_LINES).join('\n');
      return text.length > MAX_LOG_TAIL_CHARS ? text.slice(-MAX_LOG_TAIL_CHARS) : text;
    } finally {
      await handle.close();
    }
  }

  remove(submissionId: string): void {
    rmSync(this.pathOf(submissionId), { force: true });
  }
}
