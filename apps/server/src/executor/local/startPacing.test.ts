import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../../testing/testServer.js';
import { waitFor } from '../../testing/waitFor.js';
import type { StartPace } from './startGate.js';

const HOUR_MS = 3_600_000;

/** A server that stays busy after its first start: every later start is told to wait an hour. */
function busyAfterFirstStart() {
  let asked = 0;
  const pace: StartPace = {
    delayMs: () => (asked++ === 0 ? 0 : HOUR_MS),
    started: () => {},
  };
  return { pace, asked: () => asked };
}

let server: TestServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.dispose();
  server = undefined;
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('jobs waiting their turn to start', () => {
  it('have nothing written before it, and end STOPPED at once when stopped', async () => {
    const { pace, asked } = busyAfterFirstStart();
    server = await startTestServer({ startPace: pace, maxConcurrentStarts: 4 });
    dir = mkdtempSync(join(tmpdir(), 'pacing-'));
    const first = await server.submit({
      entrypoint: `while [ ! -e ${dir}/go ]; do sleep 0.05; done`,
    });
    await server.waitForStatus(first, 'RUNNING');

    const waiting = await server.submit({ entrypoint: 'echo never' });
    // Its turn was asked for, and refused for an hour.
    await waitFor('the second start to be paced', () => (asked() >= 2 ? true : undefined));
    expect((await server.getJob(waiting)).status).toBe('PENDING');
    expect(existsSync(join(server.dataDir, 'run', waiting))).toBe(false);

    await server.http.post(`/api/jobs/${waiting}/stop`).expect(200);
    const stopped = await server.waitForStatus(waiting, 'STOPPED');
    expect(stopped.message).toBe('Job was stopped before it started.');
    expect(stopped.driver_info.pid).toBe('');

    writeFileSync(join(dir, 'go'), '');
    await server.waitForStatus(first, 'SUCCEEDED');
  });

  it('leave a stopping server at once, still PENDING for the next one', async () => {
    const { pace, asked } = busyAfterFirstStart();
    server = await startTestServer({ startPace: pace, stopJobsOnShutdown: false });
    const first = await server.submit({ entrypoint: 'true' });
    await server.waitForStatus(first, 'SUCCEEDED');
    const waiting = await server.submit({ entrypoint: 'true' });
    await waitFor('the second start to be paced', () => (asked() >= 2 ? true : undefined));
    const { dataDir } = server;
    await server.close();

    // The next server (paced as usual) starts it.
    server = await startTestServer({ dataDir });
    await server.waitForStatus(waiting, 'SUCCEEDED');
  });
});
