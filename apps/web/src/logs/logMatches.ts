/** Where a search's matches start in a text, and whether there were more than were kept. */
export interface LogMatches {
  starts: number[];
  capped: boolean;
}

/**
 * Every place `query` occurs in `text`, ignoring case, at most `limit` of them: a one-letter
 * search in megabytes of log would otherwise make the page mark millions of spans.
 */
export function findLogMatches(text: string, query: string, limit: number): LogMatches {
  if (query === '') return { starts: [], capped: false };
  // A case-insensitive pattern finds matches in the text itself: lower-casing the text first could
  // change its length (as "İ" does) and shift every position after such a letter.
  const pattern = new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
  const starts: number[] = [];
  for (const match of text.matchAll(pattern)) {
    if (starts.length === limit) return { starts, capped: true };
    starts.push(match.index);
  }
  return { starts, capped: false };
}

/** The match after (or before) `current`, going round at either end. */
export function stepMatch(current: number, count: number, step: 1 | -1): number {
  if (count === 0) return 0;
  return (current + step + count) % count;
}
