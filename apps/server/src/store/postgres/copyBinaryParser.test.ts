import { describe, expect, it } from 'vitest';
import { CopyBinaryParser, type CopyRow } from './copyBinaryParser.js';

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

/** A whole COPY output in binary of rows (seq, duration, text). */
function copyOutput(rows: [bigint, bigint | null, string | null][]): Buffer {
  return Buffer.concat([
    SIGNATURE,
    int32(0),
    int32(0),
    ...rows.flatMap((row) => [int16(row.length), ...row.map(field)]),
    int16(-1),
  ]);
}

const rows: [bigint, bigint | null, string | null][] = [
  [1n, 250n, '{"a":"é 中文 😀"}'],
  [-2n, null, ''],
  [2n ** 53n - 1n, -(2n ** 40n), null],
  [4n, 0n, 'x'.repeat(300)],
];

const expected: CopyRow[] = rows.map(([seq, duration, text]) => [
  Number(seq),
  duration === null ? null : Number(duration),
  text === null ? null : Buffer.from(text),
]);

/** Everything `output` parses to, fed in `chunks` at the given cut points. */
function parse(output: Buffer, cuts: number[]): CopyRow[] {
  const parser = new CopyBinaryParser(['int8', 'int8', 'bytes']);
  const parsed: CopyRow[] = [];
  let from = 0;
  for (const cut of [...cuts, output.length]) {
    parsed.push(...parser.push(output.subarray(from, cut)));
    from = cut;
  }
  parser.end();
  return parsed;
}

describe('COPY binary output read in chunks', () => {
  const output = copyOutput(rows);

  it('reads the same rows wherever the chunks are cut', () => {
    for (let cut = 0; cut <= output.length; cut++) {
      expect(parse(output, [cut]), `cut at ${cut}`).toEqual(expected);
    }
    for (let first = 0; first < output.length; first += 13) {
      for (let second = first; second <= output.length; second += 11) {
        expect(parse(output, [first, second]), `cut at ${first}, ${second}`).toEqual(expected);
      }
    }
  });

  it('reads the same rows a byte at a time', () => {
    const cuts = Array.from({ length: output.length - 1 }, (_, i) => i + 1);
    expect(parse(output, cuts)).toEqual(expected);
  });

  it('gives text fields as views into a chunk that holds them whole', () => {
    const [first] = parse(output, []);
    const text = first?.[2];
    expect(text).toBeInstanceOf(Buffer);
    expect((text as Buffer).buffer).toBe(output.buffer);
  });

  it('reads an output without rows', () => {
    expect(parse(copyOutput([]), [3])).toEqual([]);
  });

  it('refuses what PostgreSQL does not send', () => {
    const fresh = () => new CopyBinaryParser(['int8', 'int8', 'bytes']);
    expect(() => fresh().push(Buffer.from('not a COPY output at all'))).toThrow(/signature/);
    const twoColumns = new CopyBinaryParser(['int8', 'bytes']);
    expect(() => twoColumns.push(output)).toThrow(/3 fields, not 2/);
    const wrongWidth = Buffer.concat([SIGNATURE, int32(0), int32(0), int16(3), field('abcd')]);
    expect(() => fresh().push(wrongWidth)).toThrow(/bigint field of 4 bytes/);
    expect(() => fresh().push(Buffer.concat([output, Buffer.from('x')]))).toThrow(/after its end/);
    const cutShort = fresh();
    cutShort.push(output.subarray(0, output.length - 3));
    expect(() => {
      cutShort.end();
    }).toThrow(/stopped before its end/);
  });
});
