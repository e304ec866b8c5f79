import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built server program, found from this file (`packages/test-support/{src,dist}/`) rather
 * than through a dependency: `@jobs/server` itself depends on this package for its tests.
 */
const builtServerProgram = fileURLToPath(
  new URL('../../../apps/server/dist/main.js', import.meta.url),
);

/** The line the server logs once it accepts connections, with the port it listens on. */
const listening = /"port":(\d+)[^\n]*jobs server listening/;

export interface JobsServerOptions {
  /** More command-line flags, after the ones the other options make (a later flag wins). */
  args?: string[];
  /**
   * The server's environment, over `PATH` and `JOBS_LOG_LEVEL=info` (so the listening line is
   * logged); nothing else is inherited. A variable set to undefined is left out. Jobs the server
   * runs inherit this environment.
   */
  env?: Record<string, string | undefined>;
  /**
   * The data dir (`--data-dir`): an existing one to carry on with, such as one kept by
   * `stop({ keepDataDir: true })`; a fresh temp dir when not given; `false` to pass none, leaving
   * it to `args` (the server then neither creates nor removes one).
   */
  dataDir?: string | false;
  /** Name prefix of a fresh temp data dir. */
  dataDirPrefix?: string;
  /** The port to listen on; a free one when not given. */
  port?: number;
  /** `--stop-jobs-on-shutdown`: end running jobs with the server instead of leaving them running. */
  stopJobsOnShutdown?: boolean;
  /** `--stop-grace-seconds`; the server's default when not given. */
  stopGraceSeconds?: number;
  /**
   * The server's working directory, which is also its jobs' default one: the data dir when the
   * launcher passes one, else this process's.
   */
  cwd?: string;
  /** How long to wait for the listening line before giving up (the process is then killed). */
  startTimeoutMs?: number;
  /** The program to run: `apps/server/dist/main.js` when not given. */
  program?: string;
  /** Node options before the program, e.g. `['--import', 'tsx']` to run `main.ts` from source. */
  nodeArgs?: string[];
}

export interface JobsServer {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  port: number;
  /** The data dir passed to the server, undefined with `dataDir: false`. */
  dataDir: string | undefined;
  /** Everything the process has written so far, stdout and stderr interleaved. */
  output: () => string;
  /** Resolves once the process has ended, with its exit code or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /**
   * Ends the process with SIGTERM if it is still running (the server stops its jobs with it
   * only under `stopJobsOnShutdown`), waits for it, and removes the data dir unless
   * `keepDataDir` (or `dataDir: false`).
   */
  stop: (options?: { keepDataDir?: boolean }) => Promise<void>;
}

/**
 * Starts the Jobs server program as its own OS process, by default the built one over a fresh
 * temp data dir on a free port, and resolves once it logs that it is listening.
 */
export async function startJobsServer(options: JobsServerOptions = {}): Promise<JobsServer> {
  const program = options.program ?? builtServerProgram;
  if (!existsSync(program)) {
    throw new Error(
      `The Jobs server program ${program} is missing: build the server first (pnpm turbo run build --filter=@jobs/server).`,
    );
  }
  const ownsDataDir = options.dataDir === undefined;
  const dataDir =
    options.dataDir === false
      ? undefined
      : (options.dataDir ??
        mkdtempSync(join(tmpdir(), options.dataDirPrefix ?? 'jobs-test-server-')));
  const removeDataDir = () => {
    // Jobs the server left running may still be writing their run files while it is removed.
    if (dataDir !== undefined) {
      rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    }
  };

  const args = [
    ...(options.nodeArgs ?? []),
    program,
    '--port',
    String(options.port ?? 0),
    ...(dataDir === undefined ? [] : ['--data-dir', dataDir]),
    ...(options.stopJobsOnShutdown === true ? ['--stop-jobs-on-shutdown'] : []),
    ...(options.stopGraceSeconds === undefined
      ? []
      : ['--stop-grace-seconds', String(options.stopGraceSeconds)]),
    ...(options.args ?? []),
  ];
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries({
    PATH: process.env.PATH,
    JOBS_LOG_LEVEL: 'info',
    ...options.env,
  })) {
    if (value !== undefined) env[name] = value;
  }
  const child = spawn(process.execPath, args, {
    cwd: options.cwd ?? dataDir ?? process.cwd(),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
    });
  });

  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      const timeoutMs = options.startTimeoutMs ?? 30_000;
      const timer = setTimeout(() => {
        reject(new Error(`the Jobs server did not listen within ${timeoutMs} ms: ${output}`));
      }, timeoutMs);
      const check = () => {
        const match = listening.exec(output);
        if (match?.[1] === undefined) return;
        clearTimeout(timer);
        resolve(Number(match[1]));
      };
      // Registered after the collecting listeners, so `output` already holds the chunk.
      child.stdout.on('data', check);
      child.stderr.on('data', check);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(
          new Error(
            `the Jobs server exited (${String(code ?? signal)}) before listening: ${output}`,
          ),
        );
      });
    });
  } catch (error) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (ownsDataDir) removeDataDir();
    throw error;
  }

  return {
    child,
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    output: () => output,
    exited,
    async stop(stopOptions = {}) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      if (stopOptions.keepDataDir !== true) removeDataDir();
    },
  };
}
