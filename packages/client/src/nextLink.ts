/**
 * The query of the `rel="next"` target in an RFC 8288 `Link` header, or undefined when there is
 * no next page. Only the query matters: the next page is the same list route on the same server,
 * so the client keeps its own base URL and headers.
 */
export function nextPageQuery(linkHeader: string | null): Record<string, string> | undefined {
  if (!linkHeader) return undefined;
  for (const link of linkHeader.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(link);
    if (!match) continue;
    const [, target = '', params = ''] = match;
    const isNext = params
      .split(';')
      .some((param) =>
        /^\s*rel\s*=\s*"?([^"]*)"?\s*$/i.exec(param)?.[1]?.split(/\s+/).includes('next'),
      );
    if (isNext) return Object.fromEntries(new URL(target, 'http://link.invalid/').searchParams);
  }
  return undefined;
}
