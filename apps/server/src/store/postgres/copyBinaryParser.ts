import { ByteQueue } from './byteQueue.js';

/** The signature that opens COPY's binary format: `PGCOPY\n\377\r\n\0`. */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** How a column's binary field is read: bigint (int8) as a number, anything else as its bytes. */
export type CopyColumn = 'int8' | 'bytes';

/** A row of COPY's binary format: each field as its column reads it, or null for NULL. */
export type CopyRow = (number | Buffer | null)[];

/**
 * Reads the output of `COPY ... TO STDOUT (FORMAT binary)` as it arrives in chunks of any size:
 * a header, then each row as its field count and each field as its length and bytes, then a
 * count of -1. Fields of `bytes` columns are views into the chunks when they lie in one. What
 * PostgreSQL does not send (another signature, fields other than the columns, bytes after the
 * end) is an error.
 */
export class CopyBinaryParser {
  private readonly bytes = new ByteQueue();
  private headerRead = false;
  private row: CopyRow | undefined;
  /** The length of the field being read, once its length has arrived. */
  private fieldLength: number | undefined;
  private ended = false;

  constructor(private readonly columns: readonly CopyColumn[]) {}

  /** The rows `chunk` completes. */
  push(chunk: Buffer): CopyRow[] {
    if (this.ended && chunk.length > 0) throw new Error('COPY output goes on after its end');
    this.bytes.push(chunk);
    const rows: CopyRow[] = [];
    if (!this.headerRead && !this.readHeader()) return rows;
    for (;;) {
      if (this.row === undefined) {
        if (this.ended || this.bytes.available < 2) break;
        const fields = this.bytes.readInt16();
        if (fields === -1) {
          this.ended = true;
          if (this.bytes.available > 0) throw new Error('COPY output goes on after its end');
          break;
        }
        if (fields !== this.columns.length) {
          throw new Error(`a COPY row has ${fields} fields, not ${this.columns.length}`);
        }
        this.row = [];
      }
      if (!this.readFields(this.row)) break;
      rows.push(this.row);
      this.row = undefined;
    }
    return rows;
  }

  /** Throws unless the output ended as PostgreSQL ends it. */
  end(): void {
    if (!this.ended) throw new Error('COPY output stopped before its end');
  }

  private readHeader(): boolean {
    if (this.bytes.available < SIGNATURE.length + 8) return false;
    if (!this.bytes.take(SIGNATURE.length).equals(SIGNATURE)) {
      throw new Error('COPY output does not start with the binary signature');
    }
    this.bytes.readInt32();
    const extension = this.bytes.readInt32();
    if (extension !== 0) throw new Error('COPY output has a header extension');
    this.headerRead = true;
    return true;
  }

  /** Reads the fields of `row` that have arrived; whether it is whole. */
  private readFields(row: CopyRow): boolean {
    while (row.length < this.columns.length) {
      if (this.fieldLength === undefined) {
        if (this.bytes.available < 4) return false;
        this.fieldLength = this.bytes.readInt32();
      }
      const length = this.fieldLength;
      if (length === -1) row.push(null);
      else if (this.bytes.available < length) return false;
      else if (this.columns[row.length] === 'int8') {
        if (length !== 8) throw new Error(`a bigint field of ${length} bytes`);
        row.push(this.bytes.readInt64());
      } else row.push(this.bytes.take(length));
      this.fieldLength = undefined;
    }
    return true;
  }
}
