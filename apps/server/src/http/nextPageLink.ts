/** The `Link: <...>; rel="next"` value: this request's own URL with the cursor replaced. */
export function nextPageLink(originalUrl: string, cursor: string): string {
  const queryStart = originalUrl.indexOf('?');
  const path = queryStart === -1 ? originalUrl : originalUrl.slice(0, queryStart);
  const params = new URLSearchParams(queryStart === -1 ? '' : originalUrl.slice(queryStart));
  params.set('cursor', cursor);
  return `<${path}?${params.toString()}>; rel="next"`;
}
