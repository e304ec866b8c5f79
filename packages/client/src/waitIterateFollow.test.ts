import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobsClient } from './createJobsClient.js';
import { followJobEvents } from './followJobEvents.js';
import { followJobLogs } from './followJobLogs.js';
import { iterateJobs } from './iterateJobs.js';
import { JobsApiError } from './jobsApiError.js';
import { pollingLogTransport } from './pollingLogTransport.js';
import { ConnectionLostError } from './serverSentEvents.js';
import { waitForJob } from './waitForJob.js';

// The server as this package sees it over HTTP. The real server is exercised through this
// client by the server's own tests; here the answers are scripted to reach cases it cannot
// produce on demand (pages with Link headers, a job that never ends).
function job(id: string, status: string) {
  return {
    type: 'SUBMISSION',
    submission_id: id,
    entrypoint: 'true',
    driver_info: { id, node_ip_address: '', pid: '' },
    status,
    message: '',
    start_time: '1',
    end_time: '',
    metadata: {},
    runtime_env: {},
    driver_agent_http_address: '',
    driver_node_id: 'n',
    driver_exit_code: null,
    error_type: '',
  };
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler = (_req, res) => res.end();
const server = createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  handler(req, res);
});
let baseUrl = '';
beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
});

describe('iterateJobs', () => {
  it('follows rel="next" links with their query and filters by status', async () => {
    const urls: string[] = [];
    handler = (req, res) => {
      urls.push(req.url ?? '');
      const cursor = new URL(req.url ?? '', 'http://x').searchParams.get('cursor');
      if (cursor === null) {
        res.setHeader('link', '</api/jobs?cursor=c2&limit=2>; rel="next"');
        res.end(JSON.stringify([job('j4', 'RUNNING'), job('j3', 'FAILED')]));
      } else {
        res.end(JSON.stringify([job('j2', 'SUCCEEDED'), job('j1', 'FAILED')]));
      }
    };
    const client = createJobsClient({ baseUrl });
    const all: string[] = [];
    for await (const j of iterateJobs(client)) all.push(j.submission_id);
    expect(all).toEqual(['j4', 'j3', 'j2', 'j1']);
    expect(urls).toEqual(['/api/jobs', '/api/jobs?cursor=c2&limit=2']);

    const failed: string[] = [];
    for await (const j of iterateJobs(client, { status: 'FAILED' })) failed.push(j.submission_id);
    expect(failed).toEqual(['j3', 'j1']);
    // The filter goes to the server with the first request; the next link carries it on.
    expect(urls[2]).toBe('/api/jobs?status=FAILED');

    urls.length = 0;
    const failedOrStopped: string[] = [];
    for await (const j of iterateJobs(client, { status: ['FAILED', 'STOPPED'] })) {
      failedOrStopped.push(j.submission_id);
    }
    expect(failedOrStopped).toEqual(['j3', 'j1']);
    expect(urls[0]).toBe(`/api/jobs?status=${encodeURIComponent('FAILED,STOPPED')}`);
  });

  it('asks for the order given, beside the filter, on the first request only', async () => {
    const urls: string[] = [];
    handler = (req, res) => {
      urls.push(req.url ?? '');
      if (urls.length === 1) {
        res.setHeader('link', '</api/jobs?status=FAILED&order=oldest&cursor=c2>; rel="next"');
        res.end(JSON.stringify([job('j1', 'FAILED')]));
      } else {
        res.end(JSON.stringify([job('j3', 'FAILED')]));
      }
    };
    const client = createJobsClient({ baseUrl });
    const oldest: string[] = [];
    for await (const j of iterateJobs(client, { status: 'FAILED', order: 'oldest' })) {
      oldest.push(j.submission_id);
    }
    expect(oldest).toEqual(['j1', 'j3']);
    expect(urls).toEqual([
      '/api/jobs?status=FAILED&order=oldest',
      '/api/jobs?status=FAILED&order=oldest&cursor=c2',
    ]);
  });
});

describe('waitForJob', () => {
  it('rejects with a TimeoutError when the job never gets there', async () => {
    handler = (_req, res) => res.end(JSON.stringify(job('slow', 'RUNNING')));
    const client = createJobsClient({ baseUrl });
    await expect(
      waitForJob(client, 'slow', { timeoutMs: 200, intervalMs: 20 }),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('rejects with the reason of an aborted signal', async () => {
    handler = (_req, res) => res.end(JSON.stringify(job('slow', 'PENDING')));
    const client = createJobsClient({ baseUrl });
    const controller = new AbortController();
    const waiting = waitForJob(client, 'slow', { signal: controller.signal, intervalMs: 20 });
    controller.abort(new Error('user gave up'));
    await expect(waiting).rejects.toThrow('user gave up');
  });

  it('stops waiting for RUNNING once the job has ended, since it never will run', async () => {
    handler = (_req, res) => res.end(JSON.stringify(job('quick', 'SUCCEEDED')));
    const client = createJobsClient({ baseUrl });
    const done = await waitForJob(client, 'quick', { until: 'RUNNING' });
    expect(done.status).toBe('SUCCEEDED');
  });

  it('throws a JobsApiError for an unknown job', async () => {
    handler = (_req, res) => {
      res.statusCode = 404;
      res.end(JSON.stringify({ code: 'JOB_NOT_FOUND', message: 'No job nope.' }));
    };
    const client = createJobsClient({ baseUrl });
    const error = await waitForJob(client, 'nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobsApiError);
    expect(error).toMatchObject({ status: 404, code: 'JOB_NOT_FOUND', message: 'No job nope.' });
  });
});

describe('followJobLogs', () => {
  it('follows the event stream, resuming from the last byte after a dropped connection', async () => {
    const seen: (string | undefined)[] = [];
    handler = (req, res) => {
      seen.push(req.headers['last-event-id'] as string | undefined);
      res.setHeader('content-type', 'text/event-stream');
      if (seen.length === 1) {
        // First connection: two pieces, then the connection breaks without an end event.
        res.write('event: log\nid: 2\ndata: {"start":0,"text":"a\\n"}\n\n');
        res.write('event: log\nid: 4\ndata: {"start":2,"text":"b\\n"}\n\n', () => {
          res.destroy();
        });
        return;
      }
      res.write('event: log\nid: 6\ndata: {"start":4,"text":"c\\n"}\n\n');
      res.end(`event: end\ndata: ${JSON.stringify(job('j', 'SUCCEEDED'))}\n\n`);
    };
    const client = createJobsClient({ baseUrl, headers: { authorization: 'Bearer x' } });
    const chunks: string[] = [];
    for await (const chunk of followJobLogs(client, 'j')) chunks.push(chunk);
    expect(chunks).toEqual(['a\n', 'b\n', 'c\n']);
    expect(seen).toEqual([undefined, '4']);
  });

  it('throws the API error of an unknown job from the event stream', async () => {
    handler = (_req, res) => {
      res.statusCode = 404;
      res.end(JSON.stringify({ code: 'JOB_NOT_FOUND', message: 'No job nope.' }));
    };
    const client = createJobsClient({ baseUrl });
    const follow = async () => {
      const chunks: string[] = [];
      for await (const chunk of followJobLogs(client, 'nope')) chunks.push(chunk);
      return chunks;
    };
    await expect(follow()).rejects.toMatchObject({ status: 404, code: 'JOB_NOT_FOUND' });
  });

  it('starts from a given byte offset', async () => {
    const seen: (string | undefined)[] = [];
    handler = (req, res) => {
      seen.push(req.headers['last-event-id'] as string | undefined);
      res.setHeader('content-type', 'text/event-stream');
      res.write('event: log\nid: 12\ndata: {"start":10,"text":"z\\n"}\n\n');
      res.end(`event: end\ndata: ${JSON.stringify(job('j', 'SUCCEEDED'))}\n\n`);
    };
    const client = createJobsClient({ baseUrl });
    const chunks: string[] = [];
    for await (const chunk of followJobLogs(client, 'j', { fromOffset: 10 })) chunks.push(chunk);
    expect(chunks).toEqual(['z\n']);
    expect(seen).toEqual(['10']);
  });

  it('polls with pollingLogTransport, reading only the bytes appended, until the job has ended', async () => {
    const states = [
      ['RUNNING', 'a\n'],
      ['RUNNING', 'a\n'],
      ['RUNNING', 'a\nb\n'],
      ['SUCCEEDED', 'a\nb\nc\n'],
    ] as const;
    let jobReads = 0;
    const offsets: string[] = [];
    // Each read of the job moves the scripted job one state on; log reads see that state's log.
    handler = (req, res) => {
      const url = new URL(req.url ?? '', 'http://x');
      if (!url.pathname.endsWith('/logs')) jobReads += 1;
      const [status = '', whole = ''] = states[Math.min(jobReads, states.length) - 1] ?? [];
      if (!url.pathname.endsWith('/logs')) {
        res.end(JSON.stringify(job('j', status)));
        return;
      }
      const offset = Number(url.searchParams.get('offset'));
      offsets.push(String(offset));
      const text = whole.slice(offset);
      res.setHeader('x-log-start', String(offset));
      res.setHeader('x-log-end', String(offset + text.length));
      res.setHeader('x-log-size', String(whole.length));
      res.end(JSON.stringify({ logs: text }));
    };
    const client = createJobsClient({ baseUrl });
    const chunks: string[] = [];
    for await (const chunk of followJobLogs(client, 'j', {
      intervalMs: 10,
      transport: pollingLogTransport,
    })) {
      chunks.push(chunk);
    }
    expect(chunks).toEqual(['a\n', 'b\n', 'c\n']);
    expect(jobReads).toBe(4);
    expect(offsets).toEqual(['0', '2', '2', '4']);
  });
});

describe('followJobEvents', () => {
  const event = (id: number, type: string, status: string) =>
    `id: ${id}\ndata: ${JSON.stringify({ event_id: id, type, job: job('j', status) })}\n\n`;

  it('yields every change and resumes after the last one when the connection drops', async () => {
    const seen: (string | undefined)[] = [];
    handler = (req, res) => {
      seen.push(req.headers['last-event-id'] as string | undefined);
      res.setHeader('content-type', 'text/event-stream');
      if (seen.length === 1) {
        res.write(`retry: 2000\n: connected\n\n${event(7, 'created', 'PENDING')}`);
        res.write(event(8, 'status_changed', 'RUNNING'), () => {
          res.destroy();
        });
        return;
      }
      res.write(event(9, 'status_changed', 'SUCCEEDED'));
    };
    const client = createJobsClient({ baseUrl, headers: { authorization: 'Bearer x' } });
    const abort = new AbortController();
    const connections: string[] = [];
    const received: string[] = [];
    const follow = async () => {
      for await (const change of followJobEvents(client, {
        signal: abort.signal,
        reconnectDelayMs: 10,
        onConnection: (connection) => {
          connections.push(
            connection.state === 'open' ? `open fresh=${String(connection.fresh)}` : 'lost',
          );
        },
      })) {
        received.push(`${change.event_id} ${change.type} ${change.job.status}`);
        if (received.length === 3) abort.abort();
      }
    };
    await expect(follow()).rejects.toThrow();
    expect(received).toEqual([
      '7 created PENDING',
      '8 status_changed RUNNING',
      '9 status_changed SUCCEEDED',
    ]);
    expect(seen).toEqual([undefined, '8']);
    expect(connections).toEqual(['open fresh=true', 'lost', 'open fresh=false']);
  });

  it('reports a reset as a fresh start and resumes after its id', async () => {
    const seen: (string | undefined)[] = [];
    handler = (req, res) => {
      seen.push(req.headers['last-event-id'] as string | undefined);
      res.setHeader('content-type', 'text/event-stream');
      if (seen.length === 1) {
        res.write('event: reset\nid: 90\ndata: {"last_event_id":90}\n\n');
        res.write(event(91, 'created', 'PENDING'), () => {
          res.destroy();
        });
        return;
      }
      res.write(event(92, 'status_changed', 'RUNNING'));
    };
    const client = createJobsClient({ baseUrl });
    const abort = new AbortController();
    const connections: string[] = [];
    const received: number[] = [];
    const follow = async () => {
      for await (const change of followJobEvents(client, {
        signal: abort.signal,
        lastEventId: 3,
        reconnectDelayMs: 10,
        onConnection: (connection) => {
          connections.push(
            connection.state === 'open'
              ? `open fresh=${String(connection.fresh)} after=${String(connection.lastEventId)}`
              : 'lost',
          );
        },
      })) {
        received.push(change.event_id);
        if (received.length === 2) abort.abort();
      }
    };
    await expect(follow()).rejects.toThrow();
    expect(received).toEqual([91, 92]);
    expect(seen).toEqual(['3', '91']);
    expect(connections).toEqual([
      'open fresh=false after=3',
      'open fresh=true after=90',
      'lost',
      'open fresh=false after=91',
    ]);
  });

  it('starts after a given event id and gives up after maxReconnects', async () => {
    const seen: (string | undefined)[] = [];
    handler = (req, res) => {
      seen.push(req.headers['last-event-id'] as string | undefined);
      res.destroy();
    };
    const client = createJobsClient({ baseUrl });
    const received: number[] = [];
    const follow = async () => {
      for await (const change of followJobEvents(client, {
        lastEventId: 41,
        maxReconnects: 2,
        reconnectDelayMs: 5,
      })) {
        received.push(change.event_id);
      }
    };
    await expect(follow()).rejects.toBeInstanceOf(ConnectionLostError);
    expect(seen).toEqual(['41', '41', '41']);
    expect(received).toEqual([]);
  });

  it('sends back the store its ids are of when it resumes', async () => {
    const seen: string[] = [];
    handler = (req, res) => {
      seen.push(`${String(req.headers['last-event-id'])} ${String(req.headers['x-jobs-store'])}`);
      res.setHeader('content-type', 'text/event-stream');
      res.setHeader('x-jobs-store', 'store-a');
      if (req.headers['last-event-id'] === undefined) {
        res.write(event(7, 'created', 'PENDING'), () => {
          res.destroy();
        });
        return;
      }
      res.write(event(8, 'status_changed', 'RUNNING'));
    };
    const client = createJobsClient({ baseUrl });
    const abort = new AbortController();
    const stores: (string | undefined)[] = [];
    const follow = async () => {
      for await (const change of followJobEvents(client, {
        signal: abort.signal,
        reconnectDelayMs: 5,
        onConnection: (connection) => {
          if (connection.state === 'open') stores.push(connection.store);
        },
      })) {
        if (change.event_id === 8) abort.abort();
      }
    };
    await expect(follow()).rejects.toThrow();
    // Nothing to resume on the first connection; then the id and its store.
    expect(seen).toEqual(['undefined undefined', '7 store-a']);
    expect(stores).toEqual(['store-a', 'store-a']);

    // A follower started where another left off sends both from the start.
    seen.length = 0;
    const resumed = async () => {
      for await (const change of followJobEvents(client, { lastEventId: 7, store: 'store-a' })) {
        return change.event_id;
      }
      return undefined;
    };
    await expect(resumed()).resolves.toBe(8);
    expect(seen).toEqual(['7 store-a']);
  });

  it('retries a 503 from the server or a proxy, and resumes', async () => {
    let requests = 0;
    handler = (_req, res) => {
      requests += 1;
      if (requests === 1) {
        res.statusCode = 503;
        res.end('Service Unavailable');
        return;
      }
      res.setHeader('content-type', 'text/event-stream');
      res.write(event(5, 'created', 'PENDING'));
    };
    const client = createJobsClient({ baseUrl });
    const abort = new AbortController();
    const lost: unknown[] = [];
    const follow = async () => {
      for await (const change of followJobEvents(client, {
        signal: abort.signal,
        reconnectDelayMs: 5,
        onConnection: (connection) => {
          if (connection.state === 'reconnecting') lost.push(connection.error);
        },
      })) {
        abort.abort();
        return change.event_id;
      }
      return undefined;
    };
    await expect(follow()).resolves.toBe(5);
    expect(requests).toBe(2);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ status: 503, code: 'UNEXPECTED_RESPONSE' });
  });

  it('throws an event it cannot read rather than asking for it again and again', async () => {
    let requests = 0;
    handler = (_req, res) => {
      requests += 1;
      res.setHeader('content-type', 'text/event-stream');
      res.write('id: 6\ndata: {"event_id":6,"type":"renamed"}\n\n');
    };
    const client = createJobsClient({ baseUrl });
    const follow = async () => {
      for await (const change of followJobEvents(client, { reconnectDelayMs: 5 })) {
        return change;
      }
      return undefined;
    };
    await expect(follow()).rejects.toThrow();
    expect(requests).toBe(1);
  });

  it('throws an API answer at once, without reconnecting', async () => {
    let requests = 0;
    handler = (_req, res) => {
      requests += 1;
      res.statusCode = 401;
      res.end(JSON.stringify({ code: 'UNAUTHENTICATED', message: 'A bearer token is required.' }));
    };
    const client = createJobsClient({ baseUrl });
    const follow = async () => {
      for await (const change of followJobEvents(client)) return change;
      return undefined;
    };
    await expect(follow()).rejects.toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(requests).toBe(1);
  });
});
