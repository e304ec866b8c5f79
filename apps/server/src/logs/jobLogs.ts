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
 * a character cut at `length` is left for the next read, unless it is the only one (nothing
 * precedes `buffer`), which is then completed from the bytes past `length`. At the end of the
 * log, bytes are answered as they are.
 */
function utf8CutWithin(buffer: Buffer, length: number, atEnd: boolean, alone = true): number {
  if (atEnd || length === 0) return length;
  for (let back = 1; back <= Math.min(4, length); back++) {
    const byte = buffer[length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead
    const needed = utf8SequenceLength(byte);
    if (needed <= back) return length;
    return length - back > 0 || !alone ? length - back : Math.min(needed, buffer.length);
  }
  return length;
}

const emptySlice: LogSlice = { text: '', start: 0, end: 0, size: 0 };

/** A byte range of a log, read as a stream: memory stays at one chunk whatever its length. */
export interface LogRangeStream {
  start: number;
  end: number;
  size: number;
  stream: Readable;
}

/** Bytes either side of a range's end that decide where a UTF-8 character ends. */
const UTF8_WINDOW = 4;

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

  /**
   * Up to `limit` bytes from byte `offset`, as a stream of the open file: where it ends (never
   * inside a UTF-8 character) is known before a byte of it is sent.
   */
  async streamRange(submissionId: string, offset: number, limit: number): Promise<LogRangeStream> {
    return this.streamFile(submissionId, async (file, size) => {
      const start = Math.min(offset, size);
      const length = Math.min(limit, size - start);
      const windowStart = Math.max(start, start + length - UTF8_WINDOW);
      const window = Buffer.alloc(Math.min(start + length + 3, size) - windowStart);
      await file.read(window, 0, window.length, windowStart);
      const cut = utf8CutWithin(
        window,
        start + length - windowStart,
        start + length >= size,
        windowStart === start,
      );
      return { start, end: windowStart + cut, size };
    });
  }

  /** The last `lines` lines, never more than `maxBytes`, as a stream of the open file. */
  async streamTail(submissionId: string, lines: number, maxBytes: number): Promise<LogRangeStream> {
    return this.streamFile(submissionId, async (file, size) => ({
      start: await tailStart(file, size, lines, maxBytes),
      end: size,
      size,
    }));
  }

  /** The last `lines` lines, reading backwards in chunks and never more than `maxBytes`. */
  async readTail(submissionId: string, lines: number, maxBytes: number): Promise<LogSlice> {
    return this.withFile(submissionId, emptySlice, async (file, size) => {
      const start = await tailStart(file, size, lines, maxBytes);
      const buffer = Buffer.alloc(size - start);
      await file.read(buffer, 0, buffer.length, start);
      return { text: buffer.toString('utf8'), start, end: size, size };
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

  /**
   * Opens the log, lets `locate` pick a range of it, and streams that range from the same open
   * file (a log cut meanwhile cannot make it fail). No log yet: an empty range.
   */
  private async streamFile(
    submissionId: string,
    locate: (
      file: FileHandle,
      size: number,
    ) => Promise<{ start: number; end: number; size: number }>,
  ): Promise<LogRangeStream> {
    let file: FileHandle;
    try {
      file = await open(this.pathOf(submissionId), 'r');
    } catch (error) {
      if (isMissing(error)) return { ...emptySlice, stream: Readable.from([]) };
      throw error;
    }
    try {
      const range = await locate(file, (await file.stat()).size);
      if (range.end === range.start) {
        await file.close();
        return { ...range, stream: Readable.from([]) };
      }
      // `end` of a read stream is inclusive; the stream closes the file when done or destroyed.
      const stream = file.createReadStream({ start: range.start, end: range.end - 1 });
      return { ...range, stream };
    } catch (error) {
      await file.close();
      throw error;
    }
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

/**
 * Where the last `lines` lines of a file of `size` bytes start, reading backwards in chunks
 * and never further back than `maxBytes`. Only one chunk is held at a time.
 */
async function tailStart(
  file: FileHandle,
  size: number,
  lines: number,
  maxBytes: number,
): Promise<number> {
  // A final newline ends the last line; it does not start another.
  let newlinesWanted = lines;
  let start = size;
  const chunk = Buffer.alloc(Math.min(CHUNK_BYTES, size, maxBytes));
  while (start > 0 && size - start < maxBytes) {
    const length = Math.min(CHUNK_BYTES, start, maxBytes - (size - start));
    start -= length;
    await file.read(chunk, 0, length, start);
    for (let i = length - 1; i >= 0; i--) {
      if (chunk[i] !== 0x0a || start + i === size - 1) continue;
      if (--newlinesWanted === 0) return start + i + 1;
    }
  }
  return start;
}
