import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createJobsClient, type JobsClient } from '@jobs/client';
import { type JobsServer, startJobsServer } from '@jobs/test-support';

const mainModule = fileURLToPath(new URL('../main.ts', import.meta.url));

export interface ServerProcess extends JobsServer {
  client: JobsClient;
}

/**
 * Starts the real server entry point (`main.ts`, from source through tsx) as its own OS process
 * on a free port. `args` say where its data dir is; the caller removes it.
 */
export async function startServerProcess(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<ServerProcess> {
  const server = await startJobsServer({
    program: mainModule,
    // Resolved from this process's working dir (apps/server), which the server keeps.
    nodeArgs: ['--import', 'tsx'],
    dataDir: false,
    args,
    env,
    startTimeoutMs: 20_000,
  });
  return { ...server, client: createJobsClient({ baseUrl: server.baseUrl }) };
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

/** The lines of a server's output said to the operator: log lines are JSON, these are plain. */
export function plainLines(output: string): string[] {
  return output.split('\n').filter((line) => line !== '' && !line.startsWith('{'));
}
