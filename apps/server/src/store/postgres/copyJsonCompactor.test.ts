import { describe, expect, it } from 'vitest';
import { CopyJsonCompactor } from './copyJsonCompactor.js';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

function int16(value: number): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeInt16BE(value);
  return bytes;
}

function int32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return bytes;
}

/** A field as COPY's binary format writes it: length, then bytes; -1 for NULL. */
function field(value: bigint | string | null): Buffer {
  if (value === null) return int32(-1);
  if (typeof value === 'bigint') {
    const bytes = Buffer.alloc(8);
    bytes.writeBigInt64BE(value);
    return Buffer.concat([int32(8), bytes]);
  }
  const bytes = Buffer.from(value);
  return Buffer.concat([int32(bytes.length), bytes]);
}

type Row = [bigint, bigint | null, string];

/** A whole COPY output in binary of rows (seq, duration, JSON text). */
function copyOutput(rows: Row[]): Buffer {
  return Buffer.concat([
    SIGNATURE,
    int32(0),
    int32(0),
    ...rows.flatMap((row) => [int16(row.length), ...row.map(field)]),
    int16(-1),
  ]);
}

const rows: Row[] = [
  [1n, 250n, '{"a":"é 中文 😀","b":"\\"quoted\\" \\\\ back"}'],
  [-2n, null, '{}'],
  [2n ** 53n - 1n, -(2n ** 40n), `{"long":"${'x'.repeat(300)}"}`],
  [4n, 0n, '[1,2,3]'],
];

/** What a read of `output` gives when fed in chunks cut at `cuts` (a fresh copy each time). */
function compact(output: Buffer, cuts: number[], commaFirst = false) {
  const bytes = Buffer.from(output);
  const compactor = new CopyJsonCompactor(commaFirst);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    pieces.push(compactor.push(bytes.subarray(from, cut)));
    from = cut;
  }
  compactor.end();
  return {
    text: Buffer.concat(pieces).toString('utf8'),
    rows: compactor.rows,
    last: compactor.last,
  };
}

describe('COPY binary output rewritten in place into JSON texts joined by commas', () => {
  const output = copyOutput(rows);
  const expected = {
    text: rows.map(([, , text]) => text).join(','),
    rows: rows.length,
    last: { seq: 4, duration: 0 },
  };

  it('gives the same text, rows and last position wherever the chunks are cut', () => {
    for (let cut = 0; cut <= output.length; cut++) {
      expect(compact(output, [cut]), `cut at ${cut}`).toEqual(expected);
    }
    for (let first = 0; first < output.length; first += 13) {
      for (let second = first; second <= output.length; second += 11) {
        expect(compact(output, [first, second]), `cut at ${first}, ${second}`).toEqual(expected);
      }
    }
  });

  it('gives the same a byte at a time', () => {
    const cuts = Array.from({ length: output.length - 1 }, (_, i) => i + 1);
    expect(compact(output, cuts)).toEqual(expected);
  });

  it('reads each row position, a NULL duration included', () => {
    const two = copyOutput(rows.slice(0, 2));
    expect(compact(two, [20]).last).toEqual({ seq: -2, duration: null });
    expect(compact(copyOutput(rows.slice(2, 3)), []).last).toEqual({
      seq: 2 ** 53 - 1,
      duration: -(2 ** 40),
    });
  });

  it('puts a comma before the first text after texts written before', () => {
    expect(compact(output, [40], true).text).toBe(`,${expected.text}`);
  });

  it('reads an output without rows as no text', () => {
    expect(compact(copyOutput([]), [3], true)).toEqual({ text: '', rows: 0, last: undefined });
  });

  it('refuses what PostgreSQL does not send', () => {
    const fresh = () => new CopyJsonCompactor(false);
    expect(() => fresh().push(Buffer.from('not a COPY output at all'))).toThrow(/signature/);
    const header = Buffer.concat([SIGNATURE, int32(0), int32(0)]);
    const twoFields = Buffer.concat([header, int16(2), field(1n), field('{}')]);
    expect(() => fresh().push(twoFields)).toThrow(/2 fields, not 3/);
    const shortSeq = Buffer.concat([header, int16(3), field('abcd')]);
    expect(() => fresh().push(shortSeq)).toThrow(/seq of 4 bytes/);
    const noJson = Buffer.concat([header, int16(3), field(1n), field(null), field(null)]);
    expect(() => fresh().push(noJson)).toThrow(/no JSON/);
    expect(() => fresh().push(Buffer.concat([output, Buffer.from('x')]))).toThrow(/after its end/);
    const cutShort = fresh();
    cutShort.push(Buffer.from(output.subarray(0, output.length - 3)));
    expect(() => {
      cutShort.end();
    }).toThrow(/stopped before its end/);
  });
});
