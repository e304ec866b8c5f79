import { ErrorBodySchema } from '@jobs/contract';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { takePort } from '../testing/takenPort.js';
import { waitFor } from '../testing/waitFor.js';
import { type ProbeListener, type ProbeThreadOptions, startProbeThread } from './probeThread.js';

const listeners: ProbeListener[] = [];
const clients: Worker[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.terminate();
  for (const listener of listeners.splice(0)) await listener.close();
});

async function start(options: Partial<ProbeThreadOptions> = {}): Promise<string> {
  const listener = await startProbeThread({
    host: '127.0.0.1',
    port: 0,
    backlog: 16,
    isReady: () => Promise.resolve(true),
    onError: (error) => {
      throw error;
    },
    ...options,
  });
  listeners.push(listener);
  return `http://127.0.0.1:${String(listener.port)}`;
}

/**
 * A client on a thread of its own, since this one is about to be blocked. Once told that this
 * thread blocks (slot 0 of `shared`), it waits until `waitAfterBlockMs` have passed since then
 * (slot 1, ms since the epoch), asks `url`, and puts the status in slot 2 and 1 in slot 3.
 */
const clientSource = `
  const { parentPort, workerData } = require('node:worker_threads');
  const { url, shared, waitAfterBlockMs } = workerData;
  const slots = new Int32Array(shared, 0, 4);
  const since = new Float64Array(shared, 16, 1);
  parentPort.postMessage('ready');
  Atomics.wait(slots, 0, 0);
  const ask = async () => {
    while (Date.now() < since[0] + waitAfterBlockMs) await new Promise((go) => setTimeout(go, 5));
    const res = await fetch(url);
    await res.arrayBuffer();
    Atomics.store(slots, 2, res.status);
    Atomics.store(slots, 3, 1);
    Atomics.notify(slots, 3);
  };
  ask();
`;

/**
 * Blocks this thread for up to `blockMs` while a client thread asks `url` (`waitAfterBlockMs`
 * into the block): whether the answer came during the block, and its status, once it came.
 */
async function askWhileBlocked(
  url: string,
  blockMs: number,
  waitAfterBlockMs: number,
): Promise<{ answeredDuringBlock: boolean; status: number }> {
  const shared = new SharedArrayBuffer(24);
  const slots = new Int32Array(shared, 0, 4);
  const since = new Float64Array(shared, 16, 1);
  const client = new Worker(clientSource, {
    eval: true,
    workerData: { url, shared, waitAfterBlockMs },
  });
  clients.push(client);
  await once(client, 'message');
  since[0] = Date.now();
  Atomics.store(slots, 0, 1);
  Atomics.notify(slots, 0);
  // This thread turns no more until the answer comes or blockMs pass.
  const answeredDuringBlock = Atomics.wait(slots, 3, 0, blockMs) === 'ok';
  await waitFor('the client to be answered', () =>
    Atomics.load(slots, 3) === 1 ? true : undefined,
  );
  return { answeredDuringBlock, status: Atomics.load(slots, 2) };
}

describe('the probe thread', () => {
  it("answers /healthz while the server's thread is busy", async () => {
    const base = await start({ liveWithinMs: 60_000 });
    expect(await askWhileBlocked(`${base}/healthz`, 20_000, 0)).toEqual({
      answeredDuringBlock: true,
      status: 200,
    });
  });

  it("holds /healthz while the server's thread has not turned for liveWithinMs, and answers once it turns", async () => {
    const base = await start({ liveWithinMs: 200 });
    // Asked 300 ms into a block of 3 s: the thread's last turn is then older than 200 ms.
    expect(await askWhileBlocked(`${base}/healthz`, 3_000, 300)).toEqual({
      answeredDuringBlock: false,
      status: 200,
    });
  });

  it('answers /healthz with the body of the API port', async () => {
    const base = await start();
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it("answers /readyz from the server's readiness check", async () => {
    let ready: boolean | Error = true;
    const base = await start({
      isReady: () => (ready instanceof Error ? Promise.reject(ready) : Promise.resolve(ready)),
    });
    const readiness = async () => {
      const res = await fetch(`${base}/readyz`);
      return { status: res.status, body: await res.json() };
    };
    expect(await readiness()).toEqual({ status: 200, body: { status: 'ready' } });
    const notReady = {
      status: 503,
      body: { code: 'NOT_READY', message: 'The server is not ready.' },
    };
    ready = false;
    const answer = await readiness();
    expect(answer).toEqual(notReady);
    expect(ErrorBodySchema.parse(answer.body)).toEqual(notReady.body);
    ready = new Error('the check itself failed');
    expect(await readiness()).toEqual(notReady);
  });

  it('fails to start with the socket error code when its port is taken', async () => {
    const { port, release } = await takePort();
    try {
      await expect(start({ port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      release();
    }
  });

  it('listens no more once closed', async () => {
    const base = await start();
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const listener = listeners.pop();
    await listener?.close();
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});
