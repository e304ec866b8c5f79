import { parentPort, workerData } from 'node:worker_threads';
import type { FromProbeThread, ProbeWorkerData, ToProbeThread } from './probeMessages.js';
import { createProbeApp } from './probeApp.js';
import { untilBeat } from './untilBeat.js';

// The probe thread (see http/probeThread.ts): the probe app on a listener of its own, in a
// thread whose event loop nothing else uses.

const { host, port, backlog, beats, liveWithinMs } = workerData as ProbeWorkerData;
const lastBeat = new BigInt64Array(beats);
const toServer = parentPort;
if (toServer === null) throw new Error('probeWorker.ts runs as a worker thread only');
const tell = (message: FromProbeThread) => {
  toServer.postMessage(message);
};

const answers = new Map<number, (ready: boolean) => void>();
let nextId = 0;
toServer.on('message', ({ id, ready }: ToProbeThread) => {
  answers.get(id)?.(ready);
  answers.delete(id);
});

const app = createProbeApp({
  // Readiness is the server's own check, asked on its thread (it answers from a recent result).
  isReady: () =>
    new Promise<boolean>((resolve) => {
      const id = nextId++;
      answers.set(id, resolve);
      tell({ type: 'ready?', id });
    }),
  untilAlive: (gone) => untilBeat(lastBeat, liveWithinMs, gone),
});
const server = app.listen(port, host, backlog);
server.once('listening', () => {
  const address = server.address();
  if (address !== null && typeof address === 'object') {
    tell({ type: 'listening', address: address.address, port: address.port });
  }
});
server.once('error', (error: NodeJS.ErrnoException) => {
  tell({ type: 'listen-failed', code: error.code, message: error.message });
});
