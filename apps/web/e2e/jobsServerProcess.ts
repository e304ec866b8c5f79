import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const serverMain = fileURLToPath(new URL('../../server/dist/main.js', import.meta.url));

export interface JobsServerProcess {
  baseUrl: string;
  child: ChildProcess;
  output: () => string;
  dataDir: string;
  /** Ends the process (its jobs are stopped with it) and removes its data dir unless kept. */
  stop: (options?: { keepDataDir?: boolean }) => Promise<void>;
}

export interface StartOptions {
  /** An existing data dir, e.g. one a stopped server kept: the new server carries on with it. */
  dataDir?: string;
  /** The port to listen on; a free one when not given. */
  port?: number;
}

/**
 * The built server program (`apps/server/dist/main.js`, serving the built dashboard), as its
 * own process over a fresh data dir, on a free port.
 */
export async function startJobsServer(
  args: string[] = [],
  env: Record<string, string> = {},
  options: StartOptions = {},
): Promise<JobsServerProcess> {
  if (!existsSync(serverMain)) {
    throw new Error(`${serverMain} is missing: build the server first (pnpm turbo run build)`);
  }
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'jobs-web-e2e-'));
  const child = spawn(
    process.execPath,
    [
      serverMain,
      '--port',
      String(options.port ?? 0),
      '--data-dir',
      dataDir,
      '--stop-jobs-on-shutdown',
      '--stop-grace-seconds',
      '1',
      ...args,
    ],
    {
      env: { PATH: process.env.PATH, JOBS_LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: dataDir,
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit');
  const port = await new Promise<number>((resolve, reject) => {
    const check = () => {
      const match = /"port":(\d+)[^\n]*jobs server listening/.exec(output);
      if (match?.[1] !== undefined) {
        resolve(Number(match[1]));
        return true;
      }
      return false;
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      reject(new Error(`the server exited (${String(code)}) before listening: ${output}`));
    });
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    child,
    dataDir,
    output: () => output,
    async stop(stopOptions = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      if (stopOptions.keepDataDir !== true) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
