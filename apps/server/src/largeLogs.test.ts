import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from './testing/serverProcess.js';
import { makeDataDir } from './testing/testServer.js';
import { waitFor } from './testing/waitFor.js';

const LINE = 'a line of a large log, long enough to look like real output......\n';
/** About 200 MB of whole lines. */
const LOG_BYTES = LINE.length * Math.ceil(200_000_000 / LINE.length);

/** Peak resident memory of a process so far (VmHWM), in bytes. */
function peakRss(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1]) * 1024;
}

let server: ServerProcess;
let dir: string;
let id: string;
beforeAll(async () => {
  dir = makeDataDir();
  server = await startServerProcess(['--data-dir', dir, '--max-log-bytes', String(300_000_000)]);
  const res = await server.client.submitJob({
    body: { entrypoint: `yes '${LINE.trimEnd()}' | head -c ${LOG_BYTES}` },
  });
  if (res.status !== 200) throw new Error(`submit failed: ${res.status}`);
  id = res.body.submission_id;
  await waitFor(
    'the 200 MB job to finish',
    async () => {
      const job = await server.client.getJob({ params: { submission_id: id } });
      return job.status === 200 && job.body.status === 'SUCCEEDED' ? true : undefined;
    },
    120_000,
  );
}, 180_000);
afterAll(() => {
  server.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('a 200 MB log', () => {
  it('is read by tail, by range and whole without the server holding it in memory', async () => {
    const pid = server.child.pid ?? 0;
    const before = peakRss(pid);

    const tail = await fetch(`${server.baseUrl}/api/jobs/${id}/logs?tail=2`);
    expect(tail.headers.get('x-log-size')).toBe(String(LOG_BYTES));
    const tailText = ((await tail.json()) as { logs: string }).logs;
    expect(tailText.split('\n')).toHaveLength(3);
    expect(tailText.length).toBeLessThan(2 * LINE.length + 1);

    const range = await fetch(
      `${server.baseUrl}/api/jobs/${id}/logs?offset=${LINE.length * 1000}&limit=${LINE.length}`,
    );
    expect(await range.json()).toEqual({ logs: LINE });
    expect(range.headers.get('x-log-start')).toBe(String(LINE.length * 1000));

    const whole = await fetch(`${server.baseUrl}/api/jobs/${id}/logs`);
    const reader = (whole.body as ReadableStream<Uint8Array> | null)?.getReader();
    let received = 0;
    let head = '';
    for (;;) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) break;
      if (head.length < 40) head += Buffer.from(chunk.value).toString('utf8');
      received += chunk.value.byteLength;
    }
    expect(head.startsWith(`{"logs":"${LINE.slice(0, 20)}`)).toBe(true);
    // Each newline is escaped as two bytes in JSON.
    const newlines = LOG_BYTES / LINE.length;
    expect(received).toBe('{"logs":""}'.length + LOG_BYTES + newlines);

    const growth = peakRss(pid) - before;
    expect(growth, `peak RSS grew by ${Math.round(growth / 2 ** 20)} MiB`).toBeLessThan(
      64 * 2 ** 20,
    );
  });
});
