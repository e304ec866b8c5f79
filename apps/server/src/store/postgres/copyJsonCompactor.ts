/** The signature that opens COPY's binary format: `PGCOPY\n\377\r\n\0`. */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** The signature, the flags (4 bytes) and the length of the header extension (4 bytes). */
const HEADER_SIZE = SIGNATURE.length + 8;

/** What is read next. */
type Stage =
  | 'header'
  | 'fieldCount'
  | 'seqLength'
  | 'seq'
  | 'durationLength'
  | 'duration'
  | 'jsonLength'
  | 'json'
  | 'ended';

/** The size in bytes of each item of a fixed size. */
const sizes: Record<Exclude<Stage, 'json' | 'ended'>, number> = {
  header: HEADER_SIZE,
  fieldCount: 2,
  seqLength: 4,
  seq: 8,
  durationLength: 4,
  duration: 8,
  jsonLength: 4,
};

/** Where a row stands in its order: the list's next read starts after the last one. */
export interface CopiedPosition {
  seq: number;
  duration: number | null;
}

/** A signed big-endian integer of 2, 4 or 8 bytes at `at` (8 bytes: exact within 2^53). */
function readInteger(bytes: Buffer, at: number, size: number): number {
  if (size === 2) return bytes.readInt16BE(at);
  if (size === 4) return bytes.readInt32BE(at);
  return bytes.readInt32BE(at) * 2 ** 32 + bytes.readUInt32BE(at + 4);
}

/**
 * Turns the output of `COPY (SELECT seq, duration, json ...) TO STDOUT (FORMAT binary)`, as it
 * arrives in chunks of any size, into the JSON texts joined by commas, in place: each chunk's
 * JSON bytes are moved down over the header, lengths and numbers before them, and a comma is
 * written where a row began. Nothing is allocated a row, and the bytes are never decoded. The
 * rows read and the last row's position are kept for the next read. What PostgreSQL does not send
 * (another signature, other fields, bytes after the end) is an error.
 */
export class CopyJsonCompactor {
  /** Rows read so far. */
  rows = 0;
  /** The position of the last row read. */
  last: CopiedPosition | undefined;
  private stage: Stage = 'header';
  /** The bytes of a fixed-size item cut by the end of a chunk. */
  private readonly pending = Buffer.alloc(HEADER_SIZE);
  private pendingLength = 0;
  private jsonLeft = 0;
  private seq = 0;
  private duration: number | null = null;

  /** @param commaFirst whether the first row follows texts already written (a comma before it). */
  constructor(private readonly commaFirst: boolean) {}

  /** `chunk`, rewritten in place: the view of it that holds JSON text and commas (maybe none). */
  push(chunk: Buffer): Buffer {
    let read = 0;
    let written = 0;
    while (read < chunk.length) {
      if (this.stage === 'ended') throw new Error('COPY output goes on after its end');
      if (this.stage === 'json') {
        const length = Math.min(this.jsonLeft, chunk.length - read);
        if (written !== read) chunk.copyWithin(written, read, read + length);
        written += length;
        read += length;
        this.jsonLeft -= length;
        if (this.jsonLeft === 0) this.stage = 'fieldCount';
        continue;
      }
      const size = sizes[this.stage];
      let item: Buffer;
      let at: number;
      if (this.pendingLength === 0 && chunk.length - read >= size) {
        item = chunk;
        at = read;
        read += size;
      } else {
        while (this.pendingLength < size && read < chunk.length) {
          this.pending[this.pendingLength++] = chunk[read++] as number;
        }
        if (this.pendingLength < size) break;
        item = this.pending;
        at = 0;
        this.pendingLength = 0;
      }
      if (this.stage === 'header') {
        this.checkHeader(item, at);
        this.stage = 'fieldCount';
        continue;
      }
      const value = readInteger(item, at, size);
      // At least one byte of this item lay in this chunk, so a comma written here overwrites
      // only bytes already read.
      if (this.stage === 'jsonLength' && (this.rows > 0 || this.commaFirst)) {
        written = chunk.writeUInt8(0x2c, written);
      }
      this.next(value);
    }
    return chunk.subarray(0, written);
  }

  /** Throws unless the output ended as PostgreSQL ends it. */
  end(): void {
    if (this.stage !== 'ended') throw new Error('COPY output stopped before its end');
  }

  private checkHeader(bytes: Buffer, at: number): void {
    if (!bytes.subarray(at, at + SIGNATURE.length).equals(SIGNATURE)) {
      throw new Error('COPY output does not start with the binary signature');
    }
    if (bytes.readInt32BE(at + SIGNATURE.length + 4) !== 0) {
      throw new Error('COPY output has a header extension');
    }
  }

  /** Takes the fixed-size item just read, `value`, and moves on to what follows it. */
  private next(value: number): void {
    switch (this.stage) {
      case 'fieldCount':
        if (value === -1) this.stage = 'ended';
        else if (value !== 3) throw new Error(`a COPY row has ${value} fields, not 3`);
        else this.stage = 'seqLength';
        return;
      case 'seqLength':
        if (value !== 8) throw new Error(`a seq of ${value} bytes`);
        this.stage = 'seq';
        return;
      case 'seq':
        this.seq = value;
        this.stage = 'durationLength';
        return;
      case 'durationLength':
        if (value === -1) {
          this.duration = null;
          this.stage = 'jsonLength';
        } else if (value !== 8) throw new Error(`a duration of ${value} bytes`);
        else this.stage = 'duration';
        return;
      case 'duration':
        this.duration = value;
        this.stage = 'jsonLength';
        return;
      case 'jsonLength':
        if (value < 0) throw new Error('a listed job has no JSON');
        this.rows += 1;
        this.last = { seq: this.seq, duration: this.duration };
        this.jsonLeft = value;
        this.stage = value === 0 ? 'fieldCount' : 'json';
        return;
      default:
        throw new Error(`no fixed-size item at ${this.stage}`);
    }
  }
}
