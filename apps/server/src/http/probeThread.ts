import { Worker } from 'node:worker_threads';
import type { FromProbeThread, ProbeWorkerData, ToProbeThread } from './probeMessages.js';

/** How often the server's thread tells the probe thread that it turns. */
const BEAT_MS = 50;

/**
 * The default of `liveWithinMs`: a thread that has not turned for a second is held to be stuck,
 * as a probe that waits that long times out under most supervisors' defaults.
 */
export const LIVE_WITHIN_MS = 1000;

/**
 * The probe thread's module, as built (dist/http/probeWorker.js), whether this module runs built
 * or from its source (under tsx or the tests): a worker thread runs JavaScript only.
 */
const workerModule = new URL('../../dist/http/probeWorker.js', import.meta.url);

export interface ProbeThreadOptions {
  host: string;
  port: number;
  backlog: number;
  /** The server's readiness check (see readiness.ts). */
  isReady: () => Promise<boolean>;
  liveWithinMs?: number;
  /** Told when the probe thread fails after it started listening. */
  onError: (error: Error) => void;
}

export interface ProbeListener {
  address: string;
  port: number;
  /** Stops listening and ends the thread. */
  close(): Promise<void>;
}

/** A listen error with the code the socket gave (EADDRINUSE, EACCES...). */
function listenFailed({ code, message }: { code: string | undefined; message: string }): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * `/healthz` and `/readyz` on a port of their own (http/probeApp.ts), served by a thread of
 * their own. On the server's thread, a probe waits for the turn that reads it, behind whatever
 * else that turn does: tens of milliseconds at a time in a storm of submissions. This thread
 * answers `/healthz` at once while the server's thread keeps turning, which it says every
 * BEAT_MS through shared memory; once it has not turned for `liveWithinMs`, probes are held
 * until it turns again, so a stuck server still fails its probes. `/readyz` is asked of the
 * server's own readiness check, on its thread.
 */
export async function startProbeThread(options: ProbeThreadOptions): Promise<ProbeListener> {
  const beats = new SharedArrayBuffer(BigInt64Array.BYTES_PER_ELEMENT);
  const lastBeat = new BigInt64Array(beats);
  const beat = () => {
    Atomics.store(lastBeat, 0, BigInt(Date.now()));
  };
  beat();
  // Beating from the start: a probe read as soon as the thread listens finds a recent turn.
  const timer = setInterval(beat, BEAT_MS);
  timer.unref();
  const workerData: ProbeWorkerData = {
    host: options.host,
    port: options.port,
    backlog: options.backlog,
    beats,
    liveWithinMs: options.liveWithinMs ?? LIVE_WITHIN_MS,
  };
  const worker = new Worker(workerModule, {
    workerData,
    // Not the server's flags (a profiler's, say).
    execArgv: [],
  });
  let started: { address: string; port: number } | undefined;
  let closed = false;
  const listening = new Promise<{ address: string; port: number }>((resolve, reject) => {
    worker.on('message', (message: FromProbeThread) => {
      switch (message.type) {
        case 'listening':
          started = message;
          resolve(message);
          break;
        case 'listen-failed':
          reject(listenFailed(message));
          break;
        case 'ready?': {
          const answer = (ready: boolean) => {
            worker.postMessage({ type: 'ready', id: message.id, ready } satisfies ToProbeThread);
          };
          options.isReady().then(answer, () => {
            answer(false);
          });
        }
      }
    });
    worker.on('error', (error) => {
      if (started === undefined) reject(error);
      else options.onError(error);
    });
    worker.on('exit', (code) => {
      clearInterval(timer);
      const exited = new Error(`the probe thread exited with code ${String(code)}`);
      if (started === undefined) reject(exited);
      else if (!closed) options.onError(exited);
    });
  });
  let bound: { address: string; port: number };
  try {
    bound = await listening;
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  // The API's listener keeps the process running; this thread is only beside it.
  worker.unref();
  return {
    address: bound.address,
    port: bound.port,
    async close() {
      closed = true;
      await worker.terminate();
    },
  };
}
