/**
 * Bytes that arrive in chunks, read in order: a read within one chunk is a view into it, and only
 * a read that spans chunks is copied.
 */
export class ByteQueue {
  private readonly chunks: Buffer[] = [];
  /** Where reading stands in the first chunk. */
  private offset = 0;
  /** Bytes not yet read. */
  available = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.available += chunk.length;
  }

  /** The next `count` bytes (at most `available`). */
  take(count: number): Buffer {
    const first = this.chunks[0];
    if (first !== undefined && first.length - this.offset >= count) {
      const taken = first.subarray(this.offset, this.offset + count);
      this.skip(count);
      return taken;
    }
    if (count > this.available) throw new RangeError('read past the bytes that arrived');
    const taken = Buffer.allocUnsafe(count);
    for (let at = 0; at < count;) {
      const chunk = this.chunks[0] as Buffer;
      const part = Math.min(chunk.length - this.offset, count - at);
      chunk.copy(taken, at, this.offset, this.offset + part);
      at += part;
      this.skip(part);
    }
    return taken;
  }

  readInt16(): number {
    const { bytes, at } = this.fixed(2);
    return bytes.readInt16BE(at);
  }

  readInt32(): number {
    const { bytes, at } = this.fixed(4);
    return bytes.readInt32BE(at);
  }

  /** A big-endian 64-bit integer, as a number: exact within 2^53. */
  readInt64(): number {
    const { bytes, at } = this.fixed(8);
    return bytes.readInt32BE(at) * 2 ** 32 + bytes.readUInt32BE(at + 4);
  }

  /** Where the next `count` bytes are, read past them: in place when in one chunk. */
  private fixed(count: number): { bytes: Buffer; at: number } {
    const first = this.chunks[0];
    if (first !== undefined && first.length - this.offset >= count) {
      const at = this.offset;
      this.skip(count);
      return { bytes: first, at };
    }
    return { bytes: this.take(count), at: 0 };
  }

  private skip(count: number): void {
    this.offset += count;
    this.available -= count;
    const first = this.chunks[0];
    if (first !== undefined && this.offset === first.length) {
      this.chunks.shift();
      this.offset = 0;
    }
  }
}
