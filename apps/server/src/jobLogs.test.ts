import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { JobDetailsSchema, LogStreamChunkSchema } from '@jobs/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSse } from './testing/readSse.js';
import { type TestServer, startTestServer } from './testing/testServer.js';

let server: TestServer;
let listener: Server;
let baseUrl: string;
beforeAll(async () => {
  server = await startTestServer();
  listener = server.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => listener.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => listener.close(resolve));
  await server.dispose();
});

async function finishedJob(entrypoint: string): Promise<string> {
  const id = await server.submit({ entrypoint });
  await server.waitForStatus(id, 'SUCCEEDED');
  return id;
}

describe('GET /api/jobs/{id}/logs', () => {
  it('answers the last N lines with ?tail and the byte range in headers', async () => {
    const id = await finishedJob('seq 1 1000');
    const res = await server.http.get(`/api/jobs/${id}/logs?tail=3`).expect(200);
    expect(res.body).toEqual({ logs: '998\n999\n1000\n' });
    const size = Buffer.byteLength((await server.http.get(`/api/jobs/${id}/logs`)).body.logs);
    expect(res.headers['x-log-size']).toBe(String(size));
    expect(res.headers['x-log-end']).toBe(String(size));
    expect(Number(res.headers['x-log-start'])).toBe(size - '998\n999\n1000\n'.length);

    const all = await server.http.get(`/api/jobs/${id}/logs?tail=5000`).expect(200);
    expect((all.body as { logs: string }).logs.split('\n')).toHaveLength(1001);
  });

  it('answers a byte range with ?offset and ?limit', async () => {
    const id = await finishedJob('printf "0123456789"');
    const res = await server.http.get(`/api/jobs/${id}/logs?offset=2&limit=5`).expect(200);
    expect(res.body).toEqual({ logs: '23456' });
    expect(res.headers).toMatchObject({ 'x-log-start': '2', 'x-log-end': '7', 'x-log-size': '10' });
    const past = await server.http.get(`/api/jobs/${id}/logs?offset=50`).expect(200);
    expect(past.body).toEqual({ logs: '' });
    expect(past.headers).toMatchObject({ 'x-log-start': '10', 'x-log-end': '10' });
  });

  it('never splits a UTF-8 character across ranges', async () => {
    const id = await finishedJob('printf "aé€😀z"');
    let offset = 0;
    let text = '';
    for (let reads = 0; reads < 20; reads++) {
      const res = await server.http
        .get(`/api/jobs/${id}/logs?offset=${offset}&limit=2`)
        .expect(200);
      text += (res.body as { logs: string }).logs;
      const end = Number(res.headers['x-log-end']);
      if (end === Number(res.headers['x-log-size'])) break;
      expect(end).toBeGreaterThan(offset);
      offset = end;
    }
    expect(text).toBe('aé€😀z');
  });

  it.each([
    ['tail=0', /query\.tail/],
    ['tail=abc', /query\.tail/],
    ['limit=0', /query\.limit/],
    [`limit=${32 * 1024 * 1024}`, /query\.limit/],
    ['offset=-1', /query\.offset/],
    ['tail=2&offset=0', /query\.tail cannot be combined/],
    ['lines=3', /query\.lines is not a known field/],
  ])('answers 400 for ?%s, naming the parameter', async (query, message) => {
    const id = await finishedJob('echo x');
    const res = await server.http.get(`/api/jobs/${id}/logs?${query}`).expect(400);
    expect(res.body.code).toBe('INVALID_REQUEST');
    expect(res.body.message).toMatch(message);
  });
});

describe('GET /api/jobs/{id}/logs/stream', () => {
  it('sends existing output, new output as written, then the end with the final status', async () => {
    const gate = `${server.dataDir}/stream-gate`;
    const id = await server.submit({
      entrypoint: `echo before; while [ ! -f ${gate} ]; do sleep 0.05; done; echo after; exit 2`,
    });
    await server.waitForStatus(id, 'RUNNING');
    const response = await fetch(`${baseUrl}/api/jobs/${id}/logs/stream`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);

    let opened = false;
    const events = await readSse(response, (event) => {
      if (!opened && event.event === 'log') {
        opened = true;
        writeFileSync(gate, '');
      }
      return event.event === 'end';
    });
    const logs = events
      .filter((e) => e.event === 'log')
      .map((e) => LogStreamChunkSchema.parse(JSON.parse(e.data)));
    expect(logs.map((chunk) => chunk.text).join('')).toBe('before\nafter\n');
    expect(logs[0]).toMatchObject({ start: 0, text: 'before\n' });
    expect(events.filter((e) => e.event === 'log').at(-1)?.id).toBe(
      String('before\nafter\n'.length),
    );
    const end = events.at(-1);
    expect(end?.event).toBe('end');
    const job = JobDetailsSchema.parse(JSON.parse(end?.data ?? '{}'));
    expect(job).toMatchObject({ submission_id: id, status: 'FAILED', driver_exit_code: 2 });
  });

  it('resumes from Last-Event-ID', async () => {
    const id = await finishedJob('echo one; echo two');
    const response = await fetch(`${baseUrl}/api/jobs/${id}/logs/stream`, {
      headers: { 'last-event-id': '4' },
    });
    const events = await readSse(response, (event) => event.event === 'end');
    const text = events
      .filter((e) => e.event === 'log')
      .map((e) => LogStreamChunkSchema.parse(JSON.parse(e.data)).text)
      .join('');
    expect(text).toBe('two\n');
  });

  it('answers 404 for an unknown job and 400 for a bad offset', async () => {
    expect((await fetch(`${baseUrl}/api/jobs/nobody/logs/stream`)).status).toBe(404);
    const id = await finishedJob('true');
    const bad = await fetch(`${baseUrl}/api/jobs/${id}/logs/stream`, {
      headers: { 'last-event-id': 'x' },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/headers\.last-event-id/);
  });
});
