import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventStreamClient, openEventStream } from './testing/eventStreamClient.js';
import { type TestServer, startTestServer } from './testing/testServer.js';

let server: TestServer;
let listener: Server;
let eventsUrl: string;
const streams: EventStreamClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  listener = server.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => listener.once('listening', resolve));
  eventsUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/api/job-events`;
});
afterAll(async () => {
  for (const stream of streams) stream.close();
  listener.closeAllConnections();
  await new Promise((resolve) => listener.close(resolve));
  await server.dispose();
});

async function open(headers: Record<string, string> = {}) {
  const stream = await openEventStream(eventsUrl, headers);
  streams.push(stream);
  return stream;
}

describe('GET /api/job-events', () => {
  it('delivers create, status changes and delete in order, then resumes after any of them', async () => {
    await server.submit({ entrypoint: 'true', submission_id: 'before-stream' });
    await server.waitForStatus('before-stream', 'SUCCEEDED');

    const live = await open();
    expect(live.status).toBe(200);
    expect(live.contentType).toMatch(/^text\/event-stream/);

    await server.submit({ entrypoint: 'exit 3', submission_id: 'watched', metadata: { a: 'b' } });
    await server.waitForStatus('watched', 'FAILED');
    await server.http.delete('/api/jobs/watched').expect(200, 'true');

    const events = await live.waitForEvents(4);
    // Only changes after connecting: nothing of the job that ended before.
    expect(events.map((e) => [e.type, e.job.submission_id, e.job.status])).toEqual([
      ['created', 'watched', 'PENDING'],
      ['status_changed', 'watched', 'RUNNING'],
      ['status_changed', 'watched', 'FAILED'],
      ['deleted', 'watched', 'FAILED'],
    ]);
    expect(events[0]?.job.metadata).toEqual({ a: 'b' });
    expect(events[2]?.job.driver_exit_code).toBe(3);
    const ids = events.map((e) => e.event_id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    // A client that lost the connection after the first event gets exactly the rest.
    const resumed = await open({ 'Last-Event-ID': String(ids[0]) });
    expect(await resumed.waitForEvents(3)).toEqual(events.slice(1));

    // And keeps receiving live changes after catching up.
    await server.submit({ entrypoint: 'true', submission_id: 'after-resume' });
    const more = await resumed.waitForEvents(6);
    expect(more.slice(3).map((e) => [e.type, e.job.submission_id, e.job.status])).toEqual([
      ['created', 'after-resume', 'PENDING'],
      ['status_changed', 'after-resume', 'RUNNING'],
      ['status_changed', 'after-resume', 'SUCCEEDED'],
    ]);
    expect((await live.waitForEvents(7)).slice(4)).toEqual(more.slice(3));
  });

  it('replays from the start with Last-Event-ID 0', async () => {
    const replay = await open({ 'Last-Event-ID': '0' });
    const events = await replay.waitForEvents(3);
    expect(events.slice(0, 3).map((e) => [e.type, e.job.submission_id, e.job.status])).toEqual([
      ['created', 'before-stream', 'PENDING'],
      ['status_changed', 'before-stream', 'RUNNING'],
      ['status_changed', 'before-stream', 'SUCCEEDED'],
    ]);
  });

  it('answers 400 naming the header for a Last-Event-ID it never sent', async () => {
    const res = await server.http.get('/api/job-events').set('Last-Event-ID', 'abc').expect(400);
    expect(res.body.code).toBe('INVALID_REQUEST');
    expect(res.body.message).toMatch(/headers\.last-event-id must be the id of an event/);
  });
});
