/** What the probe thread starts with (see http/probeThread.ts). */
export interface ProbeWorkerData {
  host: string;
  port: number;
  backlog: number;
  /** One BigInt64 slot: when the server's thread last turned, in ms since the epoch. */
  beats: SharedArrayBuffer;
  /** A probe of /healthz is answered at once if the server's thread turned within this. */
  liveWithinMs: number;
}

/** From the probe thread to the server's thread. */
export type FromProbeThread =
  | { type: 'listening'; address: string; port: number }
  | { type: 'listen-failed'; code: string | undefined; message: string }
  | { type: 'ready?'; id: number };

/** From the server's thread to the probe thread: the answer to `ready?` with that id. */
export interface ToProbeThread {
  type: 'ready';
  id: number;
  ready: boolean;
}
