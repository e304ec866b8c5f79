import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DriverExit } from '../../domain/jobOutcomes.js';

/** Same relative paths from src/executor/local and dist/executor/local. */
const spawnerPath = fileURLToPath(new URL('../../../bin/driver-spawner.mjs', import.meta.url));
const wrapperPath = fileURLToPath(new URL('../../../bin/driver-wrapper.mjs', import.meta.url));

export interface DriverSpawnerOptions {
  /** Wrappers kept booted ahead of jobs once the first job started; 0 for none. */
  poolSize: number;
  /** Pooled wrappers booting at the same moment, at most (each takes a core for a while). */
  maxBooting: number;
  /**
   * The environment of every wrapper, the same for all: never anything of a job's, which
   * reaches the entrypoint alone (see bin/driver-wrapper.mjs).
   */
  wrapperEnv: NodeJS.ProcessEnv;
}

export interface DriverCommand {
  /** The wrapper's job arguments (see bin/driver-wrapper.mjs). */
  args: string[];
  /** Where the entrypoint starts. */
  cwd: string;
  /** The entrypoint's environment; the wrapper itself never runs with it. */
  env: NodeJS.ProcessEnv;
  /** The job's log, the driver's stdout and stderr; the caller may close it once spawned. */
  logFd: number;
}

/** A driver wrapper that was spawned (or failed to be). */
export interface SpawnedDriver {
  /** Undefined when the process could not be started (`exited` then holds why). */
  pid: number | undefined;
  /** The kernel's start time of `pid` (see processStartTime), or null when unknown. */
  startedAt: string | null;
  /** Settles once the entrypoint runs or the wrapper gave up: the next start may go. */
  started: Promise<void>;
  /** The wrapper's exit, or why it could not start or be followed. */
  exited: Promise<DriverExit | Error>;
  /**
   * Stops following it (the server lets go of the job at shutdown); it keeps running. `started`
   * settles then, if it had not: nothing is told any more, and the next start must not wait.
   */
  release: () => void;
}

/** A driver being started or followed, and who waits on it. */
interface Followed {
  /** Resolves spawn()'s promise (only the first call counts). */
  spawned: (pid: number | undefined, startedAt: string | null) => void;
  started: () => void;
  exited: (result: DriverExit | Error) => void;
}

type SpawnerMessage =
  | { type: 'spawned'; id: number; pid: number | undefined; startedAt: string | null }
  | { type: 'started'; id: number }
  | { type: 'exit'; id: number; code: number | null; signal: NodeJS.Signals | null }
  | { type: 'error'; id: number; message: string }
  | { type: 'closed' };

/**
 * Starts driver wrappers from a thread of their own. `spawn` blocks the calling thread until
 * the child has exec'd: on a loaded machine, tens of milliseconds per job, which a storm of
 * submissions turned into an API (health probes included) that stalled at every start. The
 * thread is started with the first driver and holds the server open only while it follows one.
 * From then on it keeps `poolSize` wrappers booted, so that a start does not wait for Node to
 * boot (most of its time); `close` ends them.
 */
export class DriverSpawner {
  private worker: Worker | undefined;
  private readonly followed = new Map<number, Followed>();
  private nextId = 0;
  private whenClosed: (() => void) | undefined;

  constructor(private readonly options: DriverSpawnerOptions) {}

  spawn(command: DriverCommand): Promise<SpawnedDriver> {
    const worker = this.worker ?? this.startWorker();
    const id = this.nextId++;
    return new Promise((resolve) => {
      let started = () => {};
      let exited: (result: DriverExit | Error) => void = () => {};
      const startedPromise = new Promise<void>((done) => (started = done));
      const exitedPromise = new Promise<DriverExit | Error>((done) => (exited = done));
      this.followed.set(id, {
        spawned: (pid, startedAt) => {
          resolve({
            pid,
            startedAt,
            started: startedPromise,
            exited: exitedPromise,
            release: () => {
              started();
              this.forget(id);
              this.worker?.postMessage({ type: 'release', id });
            },
          });
        },
        started,
        exited,
      });
      worker.ref();
      worker.postMessage({
        type: 'spawn',
        id,
        args: command.args,
        cwd: command.cwd,
        env: command.env,
        fd: command.logFd,
      });
    });
  }

  /**
   * Ends the pooled wrappers, waiting until they are gone, then the thread (drivers keep
   * running); a later spawn starts another.
   */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker === undefined) return;
    const closed = new Promise<void>((resolve) => (this.whenClosed = resolve));
    worker.postMessage({ type: 'close' });
    // An ended thread closes the pool's stdin pipes: its wrappers exit on their own then.
    await Promise.race([closed, once(worker, 'exit')]);
    this.whenClosed = undefined;
    await worker.terminate();
  }

  private startWorker(): Worker {
    // Without the server's own flags (such as a TypeScript loader): it runs plain JavaScript.
    const worker = new Worker(spawnerPath, { execArgv: [] });
    worker.on('message', (message: SpawnerMessage) => {
      this.receive(message);
    });
    const lost = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const id of [...this.followed.keys()]) this.settle(id, error);
    };
    worker.on('error', lost);
    worker.on('exit', () => {
      lost(new Error('the thread that starts and follows drivers ended'));
    });
    worker.postMessage({
      type: 'configure',
      command: process.execPath,
      wrapper: wrapperPath,
      poolSize: this.options.poolSize,
      maxBooting: this.options.maxBooting,
      wrapperEnv: this.options.wrapperEnv,
    });
    this.worker = worker;
    return worker;
  }

  private receive(message: SpawnerMessage): void {
    if (message.type === 'closed') {
      this.whenClosed?.();
      return;
    }
    const entry = this.followed.get(message.id);
    if (entry === undefined) return;
    switch (message.type) {
      case 'spawned':
        entry.spawned(message.pid, message.startedAt);
        return;
      case 'started':
        entry.started();
        return;
      case 'exit':
        this.settle(message.id, { code: message.code, signal: message.signal });
        return;
      case 'error':
        this.settle(message.id, new Error(message.message));
        return;
    }
  }

  /** The driver ended or cannot be followed: everything waiting on it learns so. */
  private settle(id: number, result: DriverExit | Error): void {
    const entry = this.followed.get(id);
    if (entry === undefined) return;
    entry.spawned(undefined, null);
    entry.started();
    entry.exited(result);
    this.forget(id);
  }

  private forget(id: number): void {
    this.followed.delete(id);
    if (this.followed.size === 0) this.worker?.unref();
  }
}
