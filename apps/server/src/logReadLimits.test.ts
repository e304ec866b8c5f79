import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogStreamChunkSchema } from '@jobs/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { readSse, type SseEvent } from './testing/readSse.js';
import { type ServerProcess, startServerProcess } from './testing/serverProcess.js';
import { waitFor } from './testing/waitFor.js';

const MiB = 1024 * 1024;
let dataDir: string;
let server: ServerProcess;

async function start(...args: string[]): Promise<void> {
  dataDir = mkdtempSync(join(tmpdir(), 'jobs-read-limits-'));
  server = await startServerProcess(['--data-dir', dataDir, ...args]);
}
afterEach(async () => {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function submit(entrypoint: string): Promise<string> {
  const answer = await server.client.submitJob({ body: { entrypoint } });
  if (answer.status !== 200) throw new Error(`submit answered ${answer.status}`);
  return answer.body.submission_id;
}

async function waitForStatus(id: string, status: string): Promise<void> {
  await waitFor(
    `job ${id} to be ${status}`,
    async () => {
      const answer = await server.client.getJob({ params: { submission_id: id } });
      return answer.status === 200 && answer.body.status === status ? true : undefined;
    },
    60_000,
  );
}

async function expectRefused(path: string, setting: string): Promise<void> {
  const refused = await fetch(`${server.baseUrl}${path}`);
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  const body = (await refused.json()) as { code: string; message: string };
  expect(body.code).toBe('RATE_LIMITED');
  expect(body.message).toContain(setting);
}

async function expectHealthy(): Promise<void> {
  const health = await fetch(`${server.baseUrl}/healthz`);
  expect(health.status).toBe(200);
  const ready = await fetch(`${server.baseUrl}/readyz`);
  expect(ready.status).toBe(200);
}

/** A GET on its own connection whose body is not read until `resume` is called. */
function heldGet(path: string): Promise<{ res: IncomingMessage; body: () => Promise<string> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.baseUrl}${path}`, { agent: false }, (res) => {
      res.pause();
      resolve({
        res,
        body: () =>
          new Promise((done, fail) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => {
              done(Buffer.concat(chunks).toString('utf8'));
            });
            res.on('error', fail);
            res.resume();
          }),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}

describe('log streams', () => {
  it('serve every follower within --max-log-streams and refuse the next with 429', async () => {
    const followers = 20;
    await start('--max-log-streams', String(followers));
    const gate = join(dataDir, 'gate');
    const id = await submit(`echo hello; while [ ! -f ${gate} ]; do sleep 0.05; done; echo bye`);
    await waitForStatus(id, 'RUNNING');

    const firstLogs: Promise<void>[] = [];
    const streams = await Promise.all(
      Array.from({ length: followers }, async () => {
        const response = await fetch(`${server.baseUrl}/api/jobs/${id}/logs/stream`);
        expect(response.status).toBe(200);
        let sawFirst: () => void = () => undefined;
        firstLogs.push(new Promise((resolve) => (sawFirst = resolve)));
        // Wrapped: the events arrive only after the gate below is opened.
        return {
          events: readSse(response, (event) => {
            if (event.event === 'log') sawFirst();
            return event.event === 'end';
          }),
        };
      }),
    );
    await Promise.all(firstLogs);

    await expectRefused(`/api/jobs/${id}/logs/stream`, '--max-log-streams');
    // The events stream is counted with the log streams: both hold a connection open.
    await expectRefused('/api/job-events', '--max-log-streams');
    await expectHealthy();

    writeFileSync(gate, '');
    const logText = (events: SseEvent[]) =>
      events
        .filter((event) => event.event === 'log')
        .map((event) => LogStreamChunkSchema.parse(JSON.parse(event.data)).text)
        .join('');
    for (const stream of streams) {
      const events = await stream.events;
      expect(logText(events)).toBe('hello\nbye\n');
      expect(events.at(-1)?.event).toBe('end');
    }

    // Slots come back as streams close.
    const again = await waitFor('a stream slot to be free', async () => {
      const response = await fetch(`${server.baseUrl}/api/jobs/${id}/logs/stream`);
      return response.status === 200 ? response : undefined;
    });
    expect(logText(await readSse(again, (event) => event.event === 'end'))).toBe('hello\nbye\n');
  });
});

describe('log reads', () => {
  async function bigLog(): Promise<{ id: string; bytes: Buffer }> {
    // About 40 MiB of base64 lines.
    const id = await submit('head -c 31457280 /dev/urandom | base64 -w 100');
    await waitForStatus(id, 'SUCCEEDED');
    return { id, bytes: readFileSync(join(dataDir, 'logs', `${id}.log`)) };
  }

  it('refuse a read beyond --max-concurrent-log-reads with 429, and serve those within it', async () => {
    await start('--max-concurrent-log-reads', '2');
    const { id, bytes } = await bigLog();
    const offsets = [0, 20 * MiB];
    const held = await Promise.all(
      offsets.map((offset) => heldGet(`/api/jobs/${id}/logs?offset=${offset}&limit=${16 * MiB}`)),
    );
    for (const { res } of held) expect(res.statusCode).toBe(200);

    await expectRefused(`/api/jobs/${id}/logs?tail=10`, '--max-concurrent-log-reads');
    await expectRefused(`/api/jobs/${id}/logs`, '--max-concurrent-log-reads');
    await expectHealthy();

    for (const [index, { res, body }] of held.entries()) {
      const offset = offsets[index] ?? 0;
      const text = (JSON.parse(await body()) as { logs: string }).logs;
      expect(text).toBe(bytes.subarray(offset, offset + 16 * MiB).toString('utf8'));
      expect(res.headers['x-log-end']).toBe(String(offset + 16 * MiB));
    }
    const tail = await waitFor('a read slot to be free', async () => {
      const response = await fetch(`${server.baseUrl}/api/jobs/${id}/logs?tail=2`);
      return response.status === 200 ? response : undefined;
    });
    const lastLines = bytes.toString('utf8').split('\n').slice(-3).join('\n');
    expect(((await tail.json()) as { logs: string }).logs).toBe(lastLines);
  });

  it('keep the server small while 48 ranges of 16 MiB are read at once', async () => {
    await start('--max-concurrent-log-reads', '48');
    const { id, bytes } = await bigLog();
    const pid = server.child.pid ?? 0;
    const before = rssBytes(pid);
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssBytes(pid));
    }, 20);
    try {
      const reads = Array.from({ length: 48 }, async (_, index) => {
        const offset = Math.floor(((bytes.length - 16 * MiB) * index) / 48);
        const response = await fetch(
          `${server.baseUrl}/api/jobs/${id}/logs?offset=${offset}&limit=${16 * MiB}`,
        );
        expect(response.status).toBe(200);
        // Counted, not kept: this process must not hold 48 copies either.
        let received = 0;
        for await (const chunk of response.body ?? []) received += (chunk as Uint8Array).length;
        return received;
      });
      await expectHealthy();
      for (const received of await Promise.all(reads)) {
        expect(received).toBeGreaterThan(16 * MiB);
      }
    } finally {
      clearInterval(sampler);
    }
    // Buffered whole, 48 ranges took the server past 800 MiB; streamed, each holds a chunk.
    expect(peak - before).toBeLessThan(256 * MiB);
  });
});
