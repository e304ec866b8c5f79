import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventStreamClient, openEventStream } from './testing/eventStreamClient.js';
import { type TestServer, startTestServer } from './testing/testServer.js';
import { waitFor } from './testing/waitFor.js';

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

  it('sends a reset first for a Last-Event-ID past the latest change (another store), then goes on', async () => {
    const latest = (await open()).resets.length; // a stream without Last-Event-ID never resets
    expect(latest).toBe(0);
    const foreign = await open({ 'Last-Event-ID': '999999' });
    await server.submit({ entrypoint: 'true', submission_id: 'after-foreign-id' });
    const events = await foreign.waitForEvents(1);
    expect(foreign.resets).toHaveLength(1);
    expect(foreign.resets[0]?.afterEvents).toBe(0);
    expect(events[0]?.event_id).toBe((foreign.resets[0]?.lastEventId ?? 0) + 1);
    expect(events[0]?.job.submission_id).toBe('after-foreign-id');
  });

  it('names its store, and resets a client resuming with the ids of another store', async () => {
    const first = await open();
    const store = first.headers.get('x-jobs-store');
    expect(store).toMatch(/^[0-9a-f]{16}$/);

    const same = await open({ 'Last-Event-ID': '1', 'X-Jobs-Store': store ?? '' });
    const other = await open({ 'Last-Event-ID': '1', 'X-Jobs-Store': 'feedfacefeedface' });
    await server.submit({ entrypoint: 'true', submission_id: 'store-check' });
    const replayed = await same.waitForEvents(3);
    expect(same.resets).toEqual([]);
    expect(replayed[0]?.event_id).toBe(2);
    const fresh = await other.waitForEvents(1);
    expect(other.resets).toHaveLength(1);
    expect(fresh[0]?.event_id).toBe((other.resets[0]?.lastEventId ?? 0) + 1);
  });

  it('answers 400 naming the header for a Last-Event-ID it never sent', async () => {
    const res = await server.http.get('/api/job-events').set('Last-Event-ID', 'abc').expect(400);
    expect(res.body.code).toBe('INVALID_REQUEST');
    expect(res.body.message).toMatch(/headers\.last-event-id must be the id of an event/);
  });
});

describe('the change log behind GET /api/job-events', () => {
  it('keeps only the latest --event-history changes; resuming from a pruned one resets', async () => {
    const first = await startTestServer();
    const ids = Array.from({ length: 40 }, (_, i) => `pruned-${String(i)}`);
    for (const id of ids) await first.submit({ entrypoint: 'true', submission_id: id });
    for (const id of ids) await first.waitForStatus(id, 'SUCCEEDED');
    await first.close();

    // Each job made three changes (created, RUNNING, SUCCEEDED): 120 in all, 100 kept.
    const second = await startTestServer({ dataDir: first.dataDir, eventHistory: 100 });
    const listener2 = second.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => listener2.once('listening', resolve));
    const url = `http://127.0.0.1:${(listener2.address() as AddressInfo).port}/api/job-events`;
    const db = new Database(join(first.dataDir, 'jobs.sqlite'), { readonly: true });
    const opened: EventStreamClient[] = [];
    try {
      const kept = await waitFor('the change log to be pruned', () => {
        const row = db.prepare('SELECT count(*) AS n, min(id) AS oldest FROM job_events').get() as {
          n: number;
          oldest: number;
        };
        return row.n === 100 ? row : undefined;
      });
      expect(kept.oldest).toBe(21);

      // Right after the last pruned change: nothing is missing, so no reset.
      const intact = await openEventStream(url, { 'Last-Event-ID': '20' });
      opened.push(intact);
      const replayed = await intact.waitForEvents(100);
      expect(intact.resets).toEqual([]);
      expect(replayed[0]?.event_id).toBe(21);

      // One further back: change 20 is gone, so the client is told to read again.
      const behind = await openEventStream(url, { 'Last-Event-ID': '19' });
      opened.push(behind);
      await second.submit({ entrypoint: 'true', submission_id: 'after-reset' });
      const fresh = await behind.waitForEvents(1);
      expect(behind.resets).toEqual([{ lastEventId: 120, afterEvents: 0 }]);
      expect(fresh[0]).toMatchObject({ event_id: 121, type: 'created' });
      expect(fresh[0]?.job.submission_id).toBe('after-reset');
    } finally {
      for (const stream of opened) stream.close();
      db.close();
      listener2.closeAllConnections();
      await new Promise((resolve) => listener2.close(resolve));
      await second.dispose();
    }
  });
});
