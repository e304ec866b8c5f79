/** Whether an If-None-Match header names `etag` (weak comparison, as RFC 9110 asks for GET). */
export function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  // What a client revalidating its own copy sends: the tag it was given, alone.
  if (header === etag) return true;
  if (header.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === opaque);
}
