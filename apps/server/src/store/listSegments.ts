import type { JobListOrder } from '@jobs/contract';
import type { ListPosition } from './jobQueries.js';

/**
 * One stretch of a list order that a single index walk serves: the duration orders are the
 * ended jobs by duration, then the jobs that have not ended, newest first. A page reads the
 * segments in turn until it is full.
 */
export interface ListSegment {
  /** Only jobs that have ended (true), only those that have not (false), or all (undefined). */
  ended: boolean | undefined;
  /** Sorted by run duration, then position; by position alone when false. */
  byDuration: boolean;
  descending: boolean;
  /** Starts strictly after this position: (duration, seq) when byDuration, else seq alone. */
  after: { seq: number; duration: number } | { seq: number } | undefined;
}

/** The segments of `order` that remain after `after`, in the order they are read. */
export function listSegments(order: JobListOrder, after: ListPosition | undefined): ListSegment[] {
  if (order === 'newest' || order === 'oldest') {
    return [
      {
        ended: undefined,
        byDuration: false,
        descending: order === 'newest',
        after: after === undefined ? undefined : { seq: after.seq },
      },
    ];
  }
  const inNotEnded = after !== undefined && after.duration === null;
  const notEnded: ListSegment = {
    ended: false,
    byDuration: false,
    descending: true,
    after: inNotEnded ? { seq: after.seq } : undefined,
  };
  if (inNotEnded) return [notEnded];
  const ended: ListSegment = {
    ended: true,
    byDuration: true,
    // Ties go newer first in longest and older first in shortest: one index walk either way.
    descending: order === 'longest',
    after:
      after === undefined || after.duration === null
        ? undefined
        : { seq: after.seq, duration: after.duration },
  };
  return [ended, notEnded];
}

/** The position a row ends a page at, in `order`. */
export function positionIn(
  order: JobListOrder,
  row: { seq: number; duration: number | null },
): ListPosition {
  const byDuration = order === 'longest' || order === 'shortest';
  return { seq: row.seq, duration: byDuration ? row.duration : null };
}

/**
 * The segments left after a read of at most `readSize` rows from the first of `segments`: a read
 * short of `readSize` ended its segment; a full one goes on after its last row.
 */
export function segmentsAfterRead(
  order: JobListOrder,
  segments: ListSegment[],
  read: { count: number; last: { seq: number; duration: number | null } | undefined },
  readSize: number,
): ListSegment[] {
  return read.count < readSize || read.last === undefined
    ? segments.slice(1)
    : listSegments(order, positionIn(order, read.last));
}
