/** A text cut into its lines, each with where it starts in the text. */
export interface LogLines {
  /** The lines without their line breaks; a text ending with one has no empty last line. */
  lines: string[];
  /** Where each line starts in the text. */
  starts: number[];
}

export function splitLogLines(text: string): LogLines {
  const lines = text.split('\n');
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  const starts = new Array<number>(lines.length);
  let at = 0;
  lines.forEach((line, index) => {
    starts[index] = at;
    at += line.length + 1;
  });
  return { lines, starts };
}

/** The first index of ascending `values` whose value is `target` or more (its length if none). */
export function firstAtLeast(values: readonly number[], target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] ?? 0) < target) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The line holding position `at` of the text. */
export function lineOf(log: LogLines, at: number): number {
  return Math.max(0, firstAtLeast(log.starts, at + 1) - 1);
}

/**
 * The matches (by their index among all of them) that start on `line`: a search box takes one
 * line, so a match never runs onto the next.
 */
export function matchesOnLine(
  log: LogLines,
  line: number,
  matchStarts: readonly number[],
): { first: number; end: number } {
  const start = log.starts[line] ?? 0;
  const next = start + (log.lines[line]?.length ?? 0) + 1;
  return { first: firstAtLeast(matchStarts, start), end: firstAtLeast(matchStarts, next) };
}
