import { createHash } from 'node:crypto';
import { type JobListOrder, jobListOrders } from '@jobs/contract';
import { InvalidRequestError } from '../errors.js';
import type { JobFilter, ListPosition } from '../store/jobQueries.js';

/*
 * A cursor is the position (and, in a duration order, the duration) of the last job of a page,
 * with the order and a digest of the filters it was made for, wrapped so clients treat it as
 * opaque: its form can change without breaking anyone who only passes it back. The order and
 * digest let a cursor passed to another list be refused instead of answering a wrong page.
 */
const VERSION = 'p2';

/**
 * The cursor of servers from before list orders (newest first, no filter digest): honoured for
 * `newest`, so that paging goes on across an upgrade, or a rolling upgrade of replicas.
 */
const NEWEST_BEFORE_ORDERS = /^p1:(\d{1,15})$/;

/** A cursor's text is short; anything longer was not made here. */
const MAX_CURSOR_CHARS = 160;

/** The same filter however its query was written: statuses and metadata in a fixed order. */
function filterDigest(filter: JobFilter): string {
  const canonical = JSON.stringify([
    [...(filter.statuses ?? [])].sort(),
    Object.entries(filter.metadata ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    filter.submittedAfter ?? null,
    filter.submittedBefore ?? null,
    filter.text ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 12);
}

export function encodeListCursor(
  order: JobListOrder,
  filter: JobFilter,
  position: ListPosition,
): string {
  const duration = position.duration === null ? '-' : String(position.duration);
  const text = `${VERSION}:${order}:${filterDigest(filter)}:${duration}:${String(position.seq)}`;
  return Buffer.from(text).toString('base64url');
}

/** The position `cursor` holds, if it was made for this order and these filters. */
export function decodeListCursor(
  cursor: string,
  order: JobListOrder,
  filter: JobFilter,
): ListPosition {
  const text =
    cursor.length <= MAX_CURSOR_CHARS && /^[A-Za-z0-9_-]+$/.test(cursor)
      ? Buffer.from(cursor, 'base64url').toString()
      : '';
  const before = NEWEST_BEFORE_ORDERS.exec(text);
  if (before !== null && order === 'newest') return { seq: Number(before[1]), duration: null };
  const match = /^p2:([a-z]{1,16}):([A-Za-z0-9_-]{12}):(-|-?\d{1,15}):(\d{1,15})$/.exec(text);
  const [, madeFor, digest, duration, seq] = match ?? [];
  const byDuration = order === 'longest' || order === 'shortest';
  if (
    madeFor === undefined ||
    digest === undefined ||
    duration === undefined ||
    seq === undefined ||
    !(jobListOrders as readonly string[]).includes(madeFor) ||
    (madeFor === order && !byDuration && duration !== '-')
  ) {
    throw new InvalidRequestError(
      'Invalid request: query.cursor is not a cursor this server gave out; take it from the Link header of the previous page.',
    );
  }
  if (madeFor !== order) {
    throw new InvalidRequestError(
      `Invalid request: query.cursor continues a list in order ${madeFor}, not ${order}; keep the order of the first page, or start again without a cursor.`,
    );
  }
  if (digest !== filterDigest(filter)) {
    throw new InvalidRequestError(
      'Invalid request: query.cursor continues a list with other filters; keep the filters of the first page, or start again without a cursor.',
    );
  }
  return { seq: Number(seq), duration: duration === '-' ? null : Number(duration) };
}
