import { createReadStream, existsSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';

/** Longest log excerpt put into a failed job's message. */
export const MAX_LOG_TAIL_CHARS = 20_000;
const MESSAGE_TAIL_LINES = 20;
const CHUNK_BYTES = 64 * 1024;

/** A byte range of a log and the text in it. `end` is exclusive; `size` is the whole log's. */
export interface LogSlice {
  text: string;
  start: number;
  end: number;
  size: number;
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

function utf8SequenceLength(lead: number): number {
  return lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
}

/**
 * How many of `buffer`'s first `length` bytes to answer so that no UTF-8 character is split:
 * a character cut at `length` is left for the next read, unless it is the only one, which is
 * then completed from the bytes past `length`. At the end of the log, bytes are answered as
 * they are.
 */
function utf8CutWithin(buffer: Buffer, length: number, atEnd: boolean): number {
  if (atEnd || length === 0) return length;
  for (let back = 1; back <= Math.min(4, length); back++) {
    const byte = buffer[length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead
    const needed = utf8SequenceLength(byte);
    if (needed <= back) return length;
    return length - back > 0 ? length - back : Math.min(needed, buffer.length);
  }
  return length;
}

const emptySlice: LogSlice = { text: '', start: 0, end: 0, size: 0 };

/**
 * One append-only file per job under `<dataDir>/logs`. Submission ids are validated to a safe
 * character set before any job exists, so an id is always a plain file name here. Reads are
 * bounded: no method loads a whole log into memory.
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

  /** The whole log from byte `start` on, as a stream (empty when there is no log). */
  stream(submissionId: string, start = 0): Readable {
    const path = this.pathOf(submissionId);
    return existsSync(path) ? createReadStream(path, { start }) : Readable.from([]);
  }

  /** Up to `limit` bytes from byte `offset`. */
  async readRange(submissionId: string, offset: number, limit: number): Promise<LogSlice> {
    return this.withFile(submissionId, emptySlice, async (file, size) => {
      const start = Math.min(offset, size);
      const length = Math.min(limit, size - start);
      // Up to 3 bytes more, so a character straddling the limit can be completed.
      const buffer = Buffer.alloc(Math.min(length + 3, size - start));
      await file.read(buffer, 0, buffer.length, start);
      const whole = utf8CutWithin(buffer, length, start + length >= size);
      return { text: buffer.subarray(0, whole).toString('utf8'), start, end: start + whole, size };
    });
  }

  /** The last `lines` lines, reading backwards in chunks and never more than `maxBytes`. */
  async readTail(submissionId: string, lines: number, maxBytes: number): Promise<LogSlice> {
    return this.withFile(submissionId, emptySlice, async (file, size) => {
      // A final newline ends the last line; it does not start another.
      let newlinesWanted = lines;
      let start = size;
      const chunks: Buffer[] = [];
      while (start > 0 && size - start < maxBytes) {
        const length = Math.min(CHUNK_BYTES, start, maxBytes - (size - start));
        start -= length;
        const chunk = Buffer.alloc(length);
        await file.read(chunk, 0, length, start);
        chunks.unshift(chunk);
        for (let i = length - 1; i >= 0; i--) {
          if (chunk[i] !== 0x0a || start + i === size - 1) continue;
          if (--newlinesWanted === 0) {
            const cut = start + i + 1;
            const text = Buffer.concat(chunks)
              .subarray(cut - start)
              .toString('utf8');
            return { text, start: cut, end: size, size };
          }
        }
      }
      return { text: Buffer.concat(chunks).toString('utf8'), start, end: size, size };
    });
  }

  /** The last lines of the log, at most MAX_LOG_TAIL_CHARS characters: for a failed job's message. */
  async tail(submissionId: string): Promise<string> {
    const { text } = await this.readTail(submissionId, MESSAGE_TAIL_LINES, CHUNK_BYTES);
    const trimmed = text.replace(/\n$/, '');
    return trimmed.length > MAX_LOG_TAIL_CHARS ? trimmed.slice(-MAX_LOG_TAIL_CHARS) : trimmed;
  }

  async size(submissionId: string): Promise<number> {
    return this.withFile(submissionId, 0, (_file, size) => Promise.resolve(size));
  }

  remove(submissionId: string): void {
    rmSync(this.pathOf(submissionId), { force: true });
  }

  /** Runs `read` on the open log, or answers `missing` when the job has no log (yet). */
  private async withFile<T>(
    submissionId: string,
    missing: T,
    read: (file: FileHandle, size: number) => Promise<T>,
  ): Promise<T> {
    let file: FileHandle;
    try {
      file = await open(this.pathOf(submissionId), 'r');
    } catch (error) {
      if (isMissing(error)) return missing;
      throw error;
    }
    try {
      return await read(file, (await file.stat()).size);
    } finally {
      await file.close();
    }
  }
}
