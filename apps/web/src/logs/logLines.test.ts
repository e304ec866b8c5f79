import { describe, expect, it } from 'vitest';
import { firstAtLeast, lineOf, matchesOnLine, splitLogLines } from './logLines.js';

describe('splitLogLines', () => {
  it('cuts a log into lines with where each starts, keeping empty lines', () => {
    expect(splitLogLines('one\n\nthree\n')).toEqual({
      lines: ['one', '', 'three'],
      starts: [0, 4, 5],
    });
    expect(splitLogLines('no newline yet')).toEqual({ lines: ['no newline yet'], starts: [0] });
    expect(splitLogLines('')).toEqual({ lines: [''], starts: [0] });
  });

  it('finds the line of a position and the matches on a line', () => {
    const log = splitLogLines('error a\nfine\nerror b error c\n');
    expect([0, 6, 7, 8, 13, 28].map((at) => lineOf(log, at))).toEqual([0, 0, 0, 1, 2, 2]);
    const matches = [0, 13, 21];
    expect(matchesOnLine(log, 0, matches)).toEqual({ first: 0, end: 1 });
    expect(matchesOnLine(log, 1, matches)).toEqual({ first: 1, end: 1 });
    expect(matchesOnLine(log, 2, matches)).toEqual({ first: 1, end: 3 });
  });

  it('searches sorted numbers for the first at or past a value', () => {
    expect(firstAtLeast([1, 3, 3, 7], 3)).toBe(1);
    expect(firstAtLeast([1, 3, 3, 7], 8)).toBe(4);
    expect(firstAtLeast([], 0)).toBe(0);
  });
});
