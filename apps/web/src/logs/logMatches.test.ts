import { describe, expect, it } from 'vitest';
import { findLogMatches, stepMatch } from './logMatches.js';

describe('findLogMatches', () => {
  it('finds every occurrence, ignoring case, without overlaps', () => {
    expect(findLogMatches('Error: x\nerror again\nERROR', 'error', 100)).toEqual({
      starts: [0, 9, 21],
      capped: false,
    });
    expect(findLogMatches('aaaa', 'aa', 100).starts).toEqual([0, 2]);
  });

  it('finds nothing for an empty query or a missing text', () => {
    expect(findLogMatches('abc', '', 100)).toEqual({ starts: [], capped: false });
    expect(findLogMatches('abc', 'z', 100)).toEqual({ starts: [], capped: false });
  });

  it('keeps at most the limit and says so', () => {
    expect(findLogMatches('x x x x', 'x', 3)).toEqual({ starts: [0, 2, 4], capped: true });
    expect(findLogMatches('x x x', 'x', 3)).toEqual({ starts: [0, 2, 4], capped: false });
  });
});

describe('stepMatch', () => {
  it('goes round at both ends', () => {
    expect(stepMatch(2, 3, 1)).toBe(0);
    expect(stepMatch(0, 3, -1)).toBe(2);
    expect(stepMatch(1, 3, 1)).toBe(2);
    expect(stepMatch(0, 0, 1)).toBe(0);
  });
});

describe('findLogMatches with special text', () => {
  it('takes the query literally and keeps positions after letters whose case changes length', () => {
    expect(findLogMatches('a.b a+b (x)', 'a+b', 10).starts).toEqual([4]);
    expect(findLogMatches('a.b a+b (x)', '(x)', 10).starts).toEqual([8]);
    expect(findLogMatches('İ error', 'error', 10).starts).toEqual([2]);
  });
});
