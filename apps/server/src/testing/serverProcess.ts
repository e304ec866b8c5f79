import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createJobsClient, type JobsClient } from '@jobs/client';
import { waitFor } from './waitFor.js';

const mainModule = fileURLToPath(new URL('../main.ts', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  client: JobsClient;
  output: () => string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the real server entry point (`main.ts`) as its own OS process on a free port. */
export async function startServerProcess(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', mainModule, '--port', '0', ...args], {
    env: { PATH: process.env.PATH, JOBS_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  const port = await waitFor(`the server to listen (output so far: ${output})`, () => {
    if (child.exitCode !== null) throw new Error(`server exited early: ${output}`);
    const match = /"port":(\d+)[^\n]*jobs server listening/.exec(output);
    return match ? Number(match[1]) : undefined;
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  return { child, baseUrl, client: createJobsClient({ baseUrl }), output: () => output, exited };
}

/** Runs the server entry point to completion (for start-up failures) and returns its exit code and output. */
export async function runServerToExit(
  args: string[],
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', mainModule, ...args], {
    env: { PATH: process.env.PATH },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output };
}
