import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
}

export interface RecordingProxy {
  address: string;
  /** Every request passed on so far, in the order they arrived. */
  requests: RecordedRequest[];
  /** The headers of each of those requests, in the same order. */
  headers: Record<string, string | string[] | undefined>[];
  dispose(): Promise<void>;
}

/**
 * An HTTP proxy in front of `target` that records each request's method, path and query, so a
 * test can see what jobctl asked the server for (not only what it printed). Answers, event
 * streams included, are passed back as they arrive.
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const requests: RecordedRequest[] = [];
  const headers: RecordingProxy['headers'] = [];
  const server = createServer((incoming, outgoing) => {
    const url = new URL(incoming.url ?? '/', target);
    headers.push(incoming.headers);
    requests.push({
      method: incoming.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
    });
    const upstream = request(
      url,
      { method: incoming.method, headers: { ...incoming.headers, host: url.host } },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    address: `http://127.0.0.1:${port}`,
    requests,
    headers,
    async dispose() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
