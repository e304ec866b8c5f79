import { InvalidRequestError } from '../errors.js';

/*
 * A cursor is the store position of the last job of a page, wrapped so clients treat it as
 * opaque: its form can change without breaking anyone who only passes it back.
 */
const PREFIX = 'p1:';

export function encodeListCursor(position: number): string {
  return Buffer.from(`${PREFIX}${position}`).toString('base64url');
}

export function decodeListCursor(cursor: string): number {
  const text = /^[A-Za-z0-9_-]{1,40}$/.test(cursor)
    ? Buffer.from(cursor, 'base64url').toString()
    : '';
  const match = /^p1:(\d{1,15})$/.exec(text);
  if (match === null) {
    throw new InvalidRequestError(
      'Invalid request: query.cursor is not a cursor this server gave out; take it from the Link header of the previous page.',
    );
  }
  return Number(match[1]);
}
